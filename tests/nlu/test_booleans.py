import pytest

from assistant.facts import FACTS
from assistant.nlu.booleans import find_bools
from assistant.nlu.levels import find_levels
from assistant.nlu.vocabulary import BOOL_PATTERNS
from assistant.textnorm import normalize


def bools(text):
    return {b.fact: b.value for b in find_bools(normalize(text))}


def test_every_pattern_names_a_bool_fact():
    for p in BOOL_PATTERNS:
        assert FACTS[p.fact].type == "bool"


@pytest.mark.parametrize(
    "text, fact",
    [
        ("今年新注册的", "newly_registered_this_year"),
        ("新成立的公司", "newly_registered_this_year"),
        ("已经纳统", "in_statistics"),
        ("纳入统计了", "in_statistics"),
        ("入库了", "in_statistics"),
        ("限上企业", "in_statistics"),
        ("首次纳统", "first_in_statistics"),
        ("独立法人", "independent_legal_person"),
        ("卖本地农特产品", "sells_local_agricultural_products"),
        ("从外地迁回", "relocated_shop"),
        ("回迁", "relocated_shop"),
        ("正常经营依法纳税", "normal_operation_tax_paid"),
        ("企业自播", "self_broadcast"),
        ("按时缴社保", "social_insurance_paid"),
        ("获得平台授牌", "platform_authorized_base"),
        ("有自主品牌", "own_brand"),
        ("新设了一级分拨中心", "new_first_level_sorting_center"),
        ("实现五统一", "five_unified"),
        ("有负面新闻", "negative_news"),
        ("租用公共海外仓", "rents_public_overseas_warehouse"),
        ("剥离电商业务", "spun_off_from_production"),
        ("跟MCN机构签约了", "anchor_signed_with_local_org"),
        ("新认定的省级示范企业", "demo_newly_recognized"),
        ("承办了直播电商大赛", "hosts_livestream_forum_contest"),
        ("区外的国家级示范企业入驻茌平", "relocated_demo_enterprise"),
    ],
)
def test_stated_true(text, fact):
    assert bools(text).get(fact) is True


@pytest.mark.parametrize(
    "text, fact",
    [
        ("不是新注册的", "newly_registered_this_year"),
        ("还没纳统", "in_statistics"),
        ("没有纳入统计", "in_statistics"),
        ("尚未入库", "in_statistics"),
        ("非独立法人", "independent_legal_person"),
        ("不是独立法人", "independent_legal_person"),
        ("没有负面新闻", "negative_news"),
        ("无负面新闻", "negative_news"),
        ("没有自主品牌", "own_brand"),
        ("没有按时缴社保", "social_insurance_paid"),
        ("社保没按时交", "social_insurance_paid"),
    ],
)
def test_negated(text, fact):
    assert bools(text).get(fact) is False


@pytest.mark.parametrize("text", ["需要纳统吗", "是否要求独立法人", "纳统了吗", "必须是独立法人吗", "要不要纳统"])
def test_questions_about_a_condition_state_nothing(text):
    assert bools(text) == {}


def test_hypothetical_counts_as_stated():
    assert bools("那如果是新注册的呢") == {"newly_registered_this_year": True}


def test_traditional_characters():
    assert bools("還沒納統，是獨立法人") == {"in_statistics": False, "independent_legal_person": True}


@pytest.mark.parametrize(
    "text, fact, value",
    [
        ("获得省级电子商务示范企业", "demo_level", "provincial"),
        ("国家级电商示范基地", "demo_level", "national"),
        ("聊城市电商示范村", "demo_level", "city"),
        ("国家级荣誉称号", "honor_level", "national"),
        ("获得省级证书", "training_certificate_level", "provincial"),
        ("主持制定国家标准", "standard_level", "national"),
        ("行业标准", "standard_level", "industry"),
        ("零售型平台", "own_platform_type", "retail"),
        ("批发型平台", "own_platform_type", "wholesale"),
    ],
)
def test_levels_and_enums(text, fact, value):
    found = {x.fact: x.value for x in find_levels(normalize(text))}
    assert found.get(fact) == value
    assert value in FACTS[fact].values or FACTS[fact].type == "level"


def test_level_question_states_nothing():
    assert find_levels("需要什么示范企业") == []
