from assistant.jieba_loader import user_terms
from assistant.retrieval.numerals import digits_for_amounts
from assistant.retrieval.tokenizer import query_terms, query_tokens, tokenize


def test_policy_terms_stay_whole():
    for term in [
        "纳统",
        "网络零售额",
        "实物商品",
        "绿色直播间",
        "齐鲁电商贷",
        "智能快递柜",
        "公共海外仓",
        "一级分拨中心",
        "快递物流配送中心",
        "集仓共配",
        "达人号",
        "独立站",
        "淘宝村",
        "出口交货值",
        "引才费用",
        "升规纳统",
    ]:
        tokens = tokenize(f"对{term}给予奖励")
        assert term.lower() in tokens, (term, tokens)


def test_search_mode_also_emits_dictionary_subwords():
    tokens = tokenize("实物商品网络零售额")
    assert {"实物商品", "网络零售额", "零售额"} <= set(tokens)


def test_ascii_terms_case_insensitive():
    assert "mcn机构" in tokenize("mcn机构")
    assert "mcn机构" in tokenize("MCN机构")


def test_stopwords_and_punctuation_removed():
    tokens = tokenize("请问，我们的企业有没有补贴？！")
    assert "请问" not in tokens and "有没有" not in tokens and "的" not in tokens
    assert not any(t in "，？！" for t in tokens)
    assert "补贴" in tokens


def test_chinese_amounts_become_digits_for_matching():
    assert digits_for_amounts("卖到两千万") == "卖到2000万"
    assert digits_for_amounts("做到了一个亿") == "做到了1亿"
    assert digits_for_amounts("一次性奖励，统一配送，第一年") == "一次性奖励，统一配送，第一年"
    assert digits_for_amounts("三百五十万") == "350万" and digits_for_amounts("一千零五万") == "1005万"
    assert "2000" in tokenize("卖到两千万")


def test_query_expansion_adds_policy_wording():
    tokens = query_tokens("在国外租仓库卖货")
    assert "境外" in tokens and "海外仓" in tokens
    assert "境外" not in query_tokens("在国外租仓库卖货", expand_synonyms=False)


def test_query_terms_for_highlighting():
    assert query_terms("齐鲁电商贷怎么申请")[0] == "齐鲁电商贷"


def test_user_dictionary_has_the_brief_terms():
    terms = set(user_terms())
    assert {"纳统", "MCN机构", "海外仓", "直播电商", "限上", "电商村", "示范园区"} <= terms
