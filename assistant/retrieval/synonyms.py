"""Enterprise words → the policies' words, added to BM25 queries only.

People ask 「在国外租仓库」; the text says 「境外」「租用」「海外仓」. The dense model
bridges some of this, BM25 none: a small thesaurus of everyday business
language lets the lexical side match too. Expansions are extra query tokens
(each counted once), never replacements, so the literal words still count.
Keep entries general (a word and how policies phrase it), not per-query fixes.
"""
from __future__ import annotations

THESAURUS: dict[str, tuple[str, ...]] = {
    "国外": ("境外", "海外"),
    "外国": ("境外", "海外"),
    "海外": ("境外",),
    "仓库": ("仓储", "海外仓"),
    "租": ("租用", "租金"),
    "房租": ("租金", "租费", "房租补助"),
    "租金": ("房租", "租费"),
    "网店": ("网络店铺", "网上店铺", "店铺"),
    "店": ("店铺", "网店"),
    "开店": ("网店", "店铺"),
    "卖货": ("销售", "网络零售额"),
    "卖": ("销售",),
    "营业额": ("销售额", "网络零售额"),
    "销售额": ("网络零售额", "网络销售额"),
    "零售额": ("网络零售额",),
    "抖音": ("电商平台", "直播平台"),
    "快手": ("电商平台", "直播平台"),
    "淘宝": ("电商平台",),
    "京东": ("电商平台",),
    "天猫": ("电商平台",),
    "拼多多": ("电商平台",),
    "亚马逊": ("跨境电商平台", "平台"),
    "直播公司": ("直播电商企业",),
    "带货": ("直播",),
    "公司": ("企业",),
    "工厂": ("生产企业",),
    "厂": ("生产企业",),
    "搬": ("落户", "迁入"),
    "迁回": ("回迁", "迁入"),
    "报销": ("补助", "补贴"),
    "奖": ("奖励",),
    "补": ("补助", "补贴"),
    "补贴": ("补助", "奖补"),
    "补助": ("补贴", "奖补"),
    "奖励": ("奖补",),
    "贷款": ("融资", "电商贷"),
    "借钱": ("贷款", "融资"),
    "仓": ("仓储",),
    "快递": ("快递物流",),
    "村": ("行政村", "电商村"),
    "粉丝": ("粉丝数", "粉丝量"),
    "抖音号": ("达人号",),
    "网红": ("达人", "主播"),
    "过期": ("有效期",),
    "到期": ("有效期",),
    "施行": ("有效期",),
}


def expand(tokens: list[str]) -> list[str]:
    """Thesaurus terms for the tokens, not already among them (each once)."""
    present = set(tokens)
    extra: dict[str, None] = {}
    for tok in tokens:
        for alt in THESAURUS.get(tok, ()):
            if alt not in present:
                extra.setdefault(alt, None)
    return list(extra)
