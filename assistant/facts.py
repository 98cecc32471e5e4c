"""The fact vocabulary: every profile fact a rule may test, in one place.

A *fact* describes the applicant (the enterprise, park, village, anchor … that
would receive the award): its kind, its sales, its floor area, whether it is
纳统, and so on. Rules (rules/<policy_id>.yaml) may only name facts defined
here; the question-understanding layer maps Chinese wording to these names
through ``label`` and ``aliases``.

Types: money_yuan, money_usd (amounts in 元 / 美元), count (with a unit:
家/个/人/间/件/户/场/平方米/月/年/位), percent (11 means 11%), bool, date, year,
level (national > provincial > city), enum (closed list of values) and kind
(the entity kind, matched through a hierarchy).

``fallbacks``: other facts that may stand in for this one as an ASSUMPTION
(physical_online_retail_sales ← online_retail_sales). The engine then reports
the award as at best ``conditional`` and names the assumption to confirm.

``situation``: the fact is a distinct event in the applicant's history (店铺回迁, 区外示范企业入驻 …);
unknown, it is asked only when the question is about that event.
"""
from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FactType = Literal["money_yuan", "money_usd", "count", "percent", "bool", "date", "year", "level", "enum", "kind"]
NUMERIC_TYPES = ("money_yuan", "money_usd", "count", "percent", "year")

# Honour / demonstration levels, highest first. 「省级及以上」 is ``>= provincial``.
LEVELS: dict[str, str] = {"national": "国家级", "provincial": "省级", "city": "市级", "county": "县级"}
LEVEL_RANK = {"county": 1, "city": 2, "provincial": 3, "national": 4}
LEVEL_ALIASES = {
    "国家级": "national", "国家": "national", "全国": "national",
    "省级": "provincial", "省": "provincial",
    "市级": "city", "市": "city",
    "县级": "county", "县": "county", "区级": "county",
}


class FactDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: FactType
    label: str  # short Chinese label: 网络零售额
    meaning: str  # what exactly is meant, and how the policies word it
    unit: str | None = None  # canonical unit for counts (家/人/平方米/月…); 元/美元/% for money/percent
    units: tuple[str, ...] = ()  # further units a rule may write for this fact (个 for 家); 年 for a 月 fact converts ×12
    aliases: tuple[str, ...] = ()  # Chinese wordings that mean this fact
    values: dict[str, str] = Field(default_factory=dict)  # enum value → Chinese label
    fallbacks: tuple[str, ...] = ()  # facts that may stand in as an assumption, best first
    question: str = ""  # how to ask the user; derived from the label when empty
    # A distinct situation (店铺迁回, 区外企业入驻, 剥离新成立 …) the user would name if it applied: an
    # answer does not offer a rule that requires it on a guess (see dialogue.selection).
    situation: bool = False

    def ask(self) -> str:
        if self.question:
            return self.question
        if self.type == "bool":
            return f"是否{self.label}？"
        if self.type in ("money_yuan",):
            return f"{self.label}是多少（元）？"
        if self.type == "money_usd":
            return f"{self.label}是多少（美元）？"
        if self.type == "count" and self.unit:
            return f"{self.label}是多少（{self.unit}）？"
        if self.type == "percent":
            return f"{self.label}是多少（%）？"
        if self.type == "level":
            return f"{self.label}是什么级别（国家级/省级/市级）？"
        if self.type == "enum":
            return f"{self.label}是哪一种（{'/'.join(self.values.values())}）？"
        if self.type == "date":
            return f"{self.label}是哪一天（YYYY-MM-DD）？"
        return f"{self.label}是什么？"

    @property
    def accepted_units(self) -> tuple[str, ...]:
        base = {"money_yuan": ("元",), "money_usd": ("美元",), "percent": ("%",)}.get(self.type, ())
        return base + ((self.unit,) if self.unit else ()) + self.units


class EntityKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()


# --- entity kinds --------------------------------------------------------------------------------

_KINDS = [
    # name, label, parent, aliases
    ("business_entity", "经营主体", None, ("市场主体", "电商经营主体", "主体")),
    ("enterprise", "企业", "business_entity", ("公司", "法人企业", "单位")),
    ("ecommerce_enterprise", "电商企业", "enterprise", ("电子商务企业", "电商公司", "网店企业", "电商服务商")),
    ("micro_enterprise", "电商小微企业", "ecommerce_enterprise", ("小微企业", "小微电商")),
    ("livestream_company", "直播电商企业", "ecommerce_enterprise", ("直播企业", "直播公司", "直播电商公司", "直播团队")),
    ("mcn", "MCN机构", "livestream_company", ("MCN", "mcn机构", "多渠道网络服务商", "网红机构")),
    ("platform_company", "电商平台企业", "ecommerce_enterprise", ("电商平台", "平台企业", "线上交易平台", "电商交易平台")),
    ("cross_border_enterprise", "跨境电商企业", "ecommerce_enterprise", ("跨境电商", "跨境企业", "跨境电商公司")),
    ("service_enterprise", "电商服务企业", "ecommerce_enterprise", ("电商服务型企业", "代运营公司", "电商服务机构")),
    ("trade_enterprise", "商贸流通企业", "enterprise", ("商贸企业", "流通企业", "批发零售企业")),
    ("foreign_trade_enterprise", "外贸企业", "enterprise", ("传统外贸企业", "进出口企业", "外贸公司")),
    ("production_enterprise", "生产企业", "enterprise", ("生产制造企业", "工厂", "制造企业", "加工企业")),
    ("express_company", "快递企业", "enterprise", ("快递公司", "物流快递企业", "快递物流企业")),
    ("training_institution", "培训机构", "enterprise", ("电商培训机构", "直播电商培训机构", "孵化机构", "培训学校")),
    ("individual_business", "个体工商户", "business_entity", ("个体户", "个体", "个体经营户", "网店店主")),
    ("park", "电商园区", None, ("园区", "产业园", "产业园区", "电商产业园", "集聚区", "基地", "园区运营主体")),
    ("ecommerce_park", "电子商务产业园区", "park", ("电商产业园区", "电子商务园区", "电商集聚区")),
    ("livestream_base", "直播电商基地", "park", ("直播基地", "直播园区", "直播电商园区")),
    ("cross_border_park", "跨境电商园区", "park", ("跨境电商产业园", "跨境园区")),
    ("village", "行政村", None, ("村", "电商村", "淘宝村", "村集体")),
    ("town", "乡镇", None, ("镇", "乡", "街道", "电商镇", "淘宝镇")),
    ("county", "县（市、区）", None, ("县", "县区", "区县", "县市区", "县级政府")),
    ("person", "个人", None, ("个人", "电商人才", "人才", "学员")),
    ("anchor", "主播", "person", ("带货主播", "网络主播", "大主播", "达人")),
    ("influencer_account", "达人号", None, ("本地达人号", "短视频达人号", "网红账号", "账号")),
    ("logistics_center", "县域快递物流配送中心", None, ("快递物流配送中心", "物流配送中心", "配送中心")),
    ("logistics_info_platform", "快递物流信息平台", None, ("物流信息平台", "快递信息平台")),
    ("sorting_center", "一级分拨中心", None, ("分拨中心", "快递分拨中心")),
    ("warehouse_center", "仓储物流中心", None, ("集仓共配中心", "共配中心", "仓储中心")),
    ("smart_locker_operator", "智能快递柜运营主体", None, ("快递柜运营商", "智能快递柜")),
]
ENTITY_KINDS: dict[str, EntityKind] = {
    n: EntityKind(name=n, label=l, parent=p, aliases=a) for n, l, p, a in _KINDS
}


def kind_ancestors(kind: str) -> list[str]:
    """``kind`` and every kind above it, nearest first."""
    out = []
    k: str | None = kind
    while k is not None:
        out.append(k)
        k = ENTITY_KINDS[k].parent
    return out


def kind_relation(profile_kind: str, rule_kind: str) -> Literal["pass", "unknown", "fail"]:
    """pass: the profile is the rule's kind or narrower; unknown: the profile is broader (企业 vs MCN机构 — ask);
    fail: unrelated kinds."""
    if rule_kind in kind_ancestors(profile_kind):
        return "pass"
    if profile_kind in kind_ancestors(rule_kind):
        return "unknown"
    return "fail"


# --- facts ---------------------------------------------------------------------------------------

def _f(name: str, type_: FactType, label: str, meaning: str, **kw: Any) -> FactDef:
    for key in ("aliases", "fallbacks", "units"):
        if key in kw:
            kw[key] = tuple(kw[key])
    return FactDef(name=name, type=type_, label=label, meaning=meaning, **kw)


_MONEY = "money_yuan"
_FACTS: list[FactDef] = [
    # who and where
    _f("entity_kind", "kind", "主体类型", "申报主体的类型（企业、个体工商户、园区、村、镇、县、主播、达人号……），按层级匹配",
       aliases=["主体", "类型", "我是", "我们是"], question="申报主体是什么类型（企业、个体工商户、园区、村镇、主播……）？"),
    _f("registered_locally", "bool", "在本地依法登记注册", "在政策所属地区（县/区/市）依法登记注册、经营",
       aliases=["本地注册", "注册在本地", "在本区注册", "在我市注册", "县域范围内依法成立"],
       question="是否在本地（政策所属县区/市）依法登记注册？"),
    _f("registration_date", "date", "登记注册日期", "营业执照登记注册的日期", aliases=["注册时间", "成立时间", "注册日期", "登记注册"]),
    _f("newly_registered_this_year", "bool", "当年新注册登记", "在申报年度内新注册登记（新注册店铺/新注册企业）",
       aliases=["新注册", "当年注册", "新成立", "新注册店铺"]),
    _f("independent_legal_person", "bool", "具有独立法人资格", "独立法人企业（非分支机构）", aliases=["独立法人", "法人企业", "独立法人资格"]),
    _f("in_statistics", "bool", "已纳入统计（纳统）",
       "网络零售额纳入统计：入库纳统、统计直报系统、企业一套表法人库、限上统计或第三方大数据统计（各政策口径见原文）",
       aliases=["纳统", "纳入统计", "入库", "入库纳统", "统计直报", "企业一套表", "限上", "升规纳统"],
       question="企业的网络零售额是否已纳入统计（纳统/入库）？"),
    _f("first_in_statistics", "bool", "首次纳入统计", "本年度首次纳入限上零售业（社会消费品零售总额）统计",
       aliases=["首次纳统", "首次纳入限上", "新上限"]),
    _f("months_in_statistics", "count", "在库存续月数", "纳统后在库存续的月数（「在库存续期满1年以上」）", unit="月", units=["年"],
       aliases=["在库存续期", "在库时间"]),
    _f("operating_months", "count", "连续经营月数", "正常连续经营（实际运营、诚信经营）的月数", unit="月", units=["年"],
       aliases=["经营时间", "运营时间", "经营满", "实际运营", "诚信经营"]),
    _f("commitment_years", "count", "承诺在本地经营年限", "承诺在本地生产经营（不迁出）的年数", unit="年",
       aliases=["承诺经营", "承诺在我区经营"]),
    _f("normal_operation_tax_paid", "bool", "正常经营并依法纳税", "申报时处于正常经营状态并依法纳税",
       aliases=["正常经营", "依法纳税"]),
    _f("social_insurance_paid", "bool", "按时缴纳职工社会保险费", "按时为职工缴纳社会保险费", aliases=["缴纳社保", "社保"]),
    _f("social_insurance_months", "count", "连续缴纳社会保险月数", "相关人员连续缴纳社会保险的月数", unit="月", units=["年"],
       aliases=["社保月数", "连续缴纳社保"]),
    _f("local_contribution", _MONEY, "企业对地方贡献数", "企业对地方财政的贡献（用于「奖补资金不得超过贡献数的20%」）",
       aliases=["地方贡献", "对地方贡献", "地方财力贡献", "纳税额"]),
    _f("negative_news", "bool", "有负面新闻或不符合主流价值观", "存在负面新闻或不符合主流价值观（取消奖励资格）",
       aliases=["负面新闻", "负面舆情"], question="是否有负面新闻或不符合主流价值观的情况？"),
    # sales
    _f("online_retail_sales", _MONEY, "年度网络零售额", "申报年度的网络零售额（各政策的统计口径见原文）",
       aliases=["网络零售额", "网零额", "网络零售", "线上零售额", "网上零售额", "网店销售额", "年销售额", "营业额", "销售额"],
       # 「天猫加京东一年网络销售额」: colloquially the same figure; stands in as a stated assumption.
       # 「迁回来以后第一年网络零售额」 is that year's figure: it stands in (named) when only it is known.
       fallbacks=["online_sales", "first_year_online_retail_sales"]),
    _f("physical_online_retail_sales", _MONEY, "实物商品网络零售额", "实物商品的网络零售额（不含服务类）",
       aliases=["实物商品网络零售额", "实物网零"], fallbacks=["online_retail_sales"]),
    _f("livestream_online_retail_sales", _MONEY, "直播网络零售额", "通过直播方式实现的网络零售额",
       aliases=["直播网络零售额", "直播销售额", "直播带货额", "直播网络销售额"], fallbacks=["online_retail_sales"]),
    _f("online_sales", _MONEY, "年网络销售额", "在电商平台的年网络（网上）销售额",
       aliases=["网络销售额", "网上销售额", "线上销售额", "线上年销售额"], fallbacks=["online_retail_sales"]),
    _f("ecommerce_transaction_volume", _MONEY, "年度电商交易额", "年度电商交易额（电商销售额，可含批发）",
       aliases=["电商交易额", "电商销售额", "交易额"], fallbacks=["online_sales", "online_retail_sales"]),
    _f("wholesale_transaction_volume", _MONEY, "年批发交易额", "平台或企业的年批发交易额", aliases=["批发交易额", "批发额"]),
    _f("online_retail_sales_growth_rate", "percent", "网络零售额当年增长率", "网络零售额比上年的增长率（%）",
       aliases=["增长率", "增速", "增幅", "同比增长"]),
    _f("online_retail_sales_growth_rate_2yr_avg", "percent", "两年平均增长率", "网络零售额近两年平均增长率（%）",
       aliases=["两年平均增长率", "两年平均增速"]),
    _f("online_retail_sales_growth", _MONEY, "网络零售额年度增长额", "网络零售额比上年增加的金额（园区为园区内限上企业合计）",
       aliases=["增长额", "增加额", "增量", "每增长"]),
    _f("relocated_shop", "bool", "网店从外地迁回", "原注册在外地（市外）的网络店铺迁回本地", aliases=["回迁", "迁回", "店铺回迁", "迁入店铺"], situation=True),
    _f("first_year_online_retail_sales", _MONEY, "迁入（回迁）后第一年网络零售额", "店铺迁入之日起第一年内（回迁后首次）的年度网络零售额",
       aliases=["迁入后第一年", "回迁后首次"], fallbacks=["online_retail_sales"]),
    _f("self_broadcast", "bool", "通过自播方式销售", "企业通过自播（自有直播团队）方式销售产品", aliases=["自播", "自主直播"]),
    _f("cooperates_with_livestream_agency", "bool", "与第三方直播机构合作", "生产企业与第三方直播机构合作通过直播销售产品",
       aliases=["第三方直播机构", "直播机构合作", "委托直播"]),
    _f("livestream_commission", _MONEY, "支付给直播机构的佣金", "生产企业与第三方直播机构合作产生的佣金", aliases=["佣金", "直播佣金"]),
    # platforms
    _f("own_platform_type", "enum", "自建平台类型", "企业自建线上交易平台的类型", values={"retail": "零售型", "wholesale": "批发型"},
       aliases=["零售型平台", "批发型平台", "自建平台"]),
    _f("own_platform_sales", _MONEY, "自建平台线上年销售额", "企业自建线上交易平台的年销售额", aliases=["平台年销售额", "自建平台销售额"],
       fallbacks=["online_sales", "online_retail_sales"]),
    _f("own_platform_sales_growth", _MONEY, "自建平台年销售额增长额", "自建平台年销售额比上年增加的金额", aliases=["平台销售额增长"]),
    _f("own_platform_first_award_year", "bool", "自建平台首个奖励年度", "本年度是该平台首次申领奖励的年度（首年）",
       aliases=["首年", "第一年"], question="这是该平台首次申领奖励的年度（首年）吗？"),
    _f("awards_received", _MONEY, "已累计获得的奖励", "同一事项此前年度已获得的奖励合计（用于累计上限）", aliases=["已获奖励", "累计奖励"]),
    _f("software_hardware_investment", _MONEY, "软硬件投资额", "平台建设的软硬件投资额", aliases=["软硬件投资", "平台投资"]),
    _f("standard_level", "enum", "主持制定的标准级别", "企业主持制定的直播电商领域标准", values={"national": "国家标准", "industry": "行业标准"},
       aliases=["国家标准", "行业标准", "标准制定"]),
    # events and exhibitions
    _f("event_participants", "count", "活动一次性参加人数", "公共性电商活动的一次性参加人数", unit="人", units=["名"],
       aliases=["参加人数", "参会人数"]),
    _f("event_cost", _MONEY, "单场活动核定费用", "一场公共性电商活动经核定的费用", aliases=["活动费用", "核定费用", "办会费用"]),
    _f("event_count", "count", "年度举办活动场数", "本年度举办的符合条件的活动场数", unit="场", aliases=["场次", "活动场数"]),
    _f("event_city_approved", "bool", "经市政府批准的重大电商活动", "活动经市政府批准为重大电商活动", aliases=["重大电商活动", "市政府批准"]),
    _f("booth_fee", _MONEY, "电商展会展位费", "参加各级商务部门组织的电商展会所付展位费（年度合计）", aliases=["展位费", "参展费"]),
    # cross-border
    _f("cross_border_export_usd", "money_usd", "当年跨境出口额（美元）", "当年跨境出口额，以美元计", aliases=["跨境出口额", "出口额美元"]),
    _f("cross_border_export", _MONEY, "年度跨境电商出口额", "年度跨境电商出口额（人民币元）", aliases=["跨境电商出口额", "跨境出口"]),
    _f("cross_border_platforms", "count", "入驻（自建）跨境电商出口平台数", "入驻的网上跨境电商出口平台及自建平台个数（须产生零售额）",
       unit="个", aliases=["入驻平台", "跨境平台数"]),
    _f("third_party_platform_fees", _MONEY, "向第三方平台缴纳的费用", "向第三方跨境平台缴纳的注册费、服务费、推广费等",
       aliases=["平台注册费", "平台服务费", "推广费"]),
    _f("own_brand", "bool", "拥有自主品牌", "企业拥有自主品牌", aliases=["自主品牌", "自有品牌"]),
    _f("independent_site_sales", _MONEY, "独立站年度跨境电商交易额", "自主品牌独立站的年度跨境电商交易额", aliases=["独立站", "独立站交易额"]),
    _f("own_overseas_warehouse_provincial", "bool", "自设海外仓被认定为省级跨境电商公共海外仓", "企业自行设立的海外仓被认定为省级公共海外仓",
       aliases=["省级公共海外仓", "自建海外仓"]),
    _f("provincial_warehouse_award", _MONEY, "省级海外仓奖励资金", "省级给予该公共海外仓项目的奖励资金", aliases=["省级奖励资金"]),
    _f("rents_public_overseas_warehouse", "bool", "租用跨境电商公共海外仓", "租用跨境电商公共海外仓开展电商", aliases=["租用海外仓", "租赁海外仓"]),
    _f("self_operated_export", _MONEY, "当年度自营出口额", "当年度自营出口额", aliases=["自营出口额"]),
    _f("overseas_warehouse_rent", _MONEY, "海外仓租费", "租用公共海外仓的年度租费", aliases=["海外仓租金", "租费"]),
    _f("cross_border_platform_turnover", _MONEY, "跨境电商平台年成交额", "通过境内外跨境电商平台的年成交额", aliases=["跨境平台成交额", "年成交额"]),
    _f("cross_border_platform_service_fee", _MONEY, "跨境平台收取的服务费", "平台收取的服务费（以网络基础服务年费为主）", aliases=["平台服务费", "网络基础服务年费"]),
    _f("cross_border_export_delivery_value", _MONEY, "跨境电商平台年实际出口交货值", "通过跨境电商平台的年实际出口交货值",
       aliases=["出口交货值"], fallbacks=["cross_border_export"]),
    # parks, bases, premises
    _f("usable_area", "count", "使用（占地）面积", "园区、基地的使用面积或占地面积", unit="平方米", aliases=["使用面积", "占地面积", "园区面积"]),
    _f("online_shops", "count", "聚集网店数", "园区聚集的网店数量", unit="家", units=["个"], aliases=["网店数", "聚集网店", "入驻网店"]),
    _f("active_shops", "count", "活跃网店数", "村、镇、园区内活跃网店数量", unit="家", units=["个"], aliases=["活跃网店"]),
    _f("livestream_rooms", "count", "直播间数量", "直播间数量", unit="间", aliases=["直播间"]),
    _f("active_anchors", "count", "注册活跃主播人数", "机构注册的活跃主播人数", unit="人", units=["名"], aliases=["活跃主播", "主播人数"]),
    _f("registered_institutions", "count", "注册机构数", "基地/企业注册的机构数", unit="家", units=["个"], aliases=["注册机构"]),
    _f("platform_authorized_base", "bool", "获得直播平台授牌「直播基地」", "获得淘宝、京东、拼多多、抖音、快手等直播平台授牌的直播基地",
       aliases=["平台授牌", "授牌直播基地"]),
    _f("introduced_enterprise_sales", _MONEY, "引进入驻企业的网络零售额", "园区引进的实体入驻电商企业的网络零售额（以统计直报系统数据为准）",
       aliases=["引进企业零售额", "入驻企业零售额"]),
    _f("introduced_enterprise_first_in_statistics", "bool", "引进企业首次纳入限上零售业统计", "园区引进的入驻企业首次纳入限上零售业统计",
       aliases=["入驻企业纳统"]),
    _f("rented_area", "count", "实际租用面积", "实际租用的办公、仓储等场地（建筑）面积", unit="平方米", aliases=["租用面积", "租赁面积", "房租面积"]),
    _f("rent_months", "count", "本年度租用月数", "本年度实际租用场地的月数（未提供时按全年12个月计）", unit="月", aliases=["租用月数"]),
    # livestreaming, anchors, accounts
    _f("green_livestream_rooms", "count", "首次评定为省级「绿色直播间」的数量", "首次评定为省级「绿色直播间」的直播间个数", unit="个",
       aliases=["绿色直播间"]),
    _f("followers", "count", "粉丝数", "达人号或主播的粉丝数", unit="人", units=["个"], aliases=["粉丝", "粉丝量", "粉丝数量"]),
    _f("anchor_signed_with_local_org", "bool", "主播与本地MCN机构或电商企业签约",
       "主播与MCN机构、电商服务型企业或纳统电商企业签约", aliases=["签约主播", "签约"]),
    _f("anchor_local_sales", _MONEY, "帮助本地企业年带货额", "主播帮助本地企业实现的年带货额", aliases=["带货额", "年带货额"]),
    _f("recruited_anchor_livestream_sales", _MONEY, "引进主播的年直播网络销售额", "所引进带货大主播的年直播网络销售额",
       aliases=["大主播销售额"]),
    _f("anchor_recruitment_cost", _MONEY, "引才费用（每名主播）", "引进一名主播支付的引才费用（猎头、中介等）", aliases=["引才费用", "猎头费"]),
    _f("anchors_recruited", "count", "本年度引进主播人数", "本年度引进的符合条件的主播人数", unit="人", units=["名"], aliases=["引进主播"]),
    # honours, demonstration titles, certificates
    _f("honor_level", "level", "电商荣誉称号级别", "荣获商务系统评定的电商相关荣誉称号的级别", aliases=["荣誉称号", "荣誉"]),
    _f("previous_honor_level", "level", "此前已获奖励的荣誉级别", "荣誉升级时此前已按本政策获奖的荣誉级别", aliases=["原荣誉", "升级前"]),
    _f("honor_renewal", "bool", "属于延续认定", "本次荣誉为延续认定（不再予以奖励）", aliases=["延续认定", "复核"]),
    _f("demo_level", "level", "电商示范称号级别", "获得的电子商务示范园区（基地）、示范企业、示范镇村等称号的级别（商务部门认定）",
       aliases=["示范企业", "示范园区", "示范基地", "示范镇", "示范村", "数字商务企业", "示范项目"]),
    _f("demo_award_date", "date", "获得示范称号的日期", "获得示范园区或示范企业称号的日期", aliases=["获评时间", "认定时间"]),
    _f("demo_newly_recognized", "bool", "新认定（首次获评）示范称号", "示范称号为本政策期内新认定（非延续）", aliases=["新认定", "新命名"]),
    _f("relocated_demo_enterprise", "bool", "区外示范企业入驻本地", "区外已获示范称号的企业入驻本地", aliases=["入驻", "区外示范企业"], situation=True),
    _f("training_certificate_level", "level", "专业培训证书级别", "参加上级商务部门组织的专业培训获得的证书级别", aliases=["培训证书", "证书"]),
    _f("taobao_title_new", "bool", "新命名淘宝村（淘宝镇）", "行政村新命名「淘宝村」或乡镇新命名「淘宝镇」", aliases=["淘宝村", "淘宝镇"]),
    # villages, towns, counties
    _f("ecommerce_villages", "count", "乡镇内电商村数量", "一个乡镇内已认定的电商村个数", unit="个", aliases=["电商村数量"]),
    _f("netshop_households", "count", "从事电商的网商数量", "全村从事电商的网商户数", unit="户", aliases=["网商户数", "网商"]),
    _f("county_rank_online_retail", "count", "网络零售总额和增幅综合评价全市排名", "县（市、区）当年网络零售总额和增幅综合评价得分在全市的名次",
       unit="位", units=["名"], aliases=["网络零售排名", "综合评价排名"]),
    _f("county_rank_rural_online_retail", "count", "农村网络零售总额和增幅综合评价全市排名", "县（市、区）当年农村网络零售总额和增幅综合评价得分在全市的名次",
       unit="位", units=["名"], aliases=["农村网络零售排名"]),
    _f("county_rank_statistics_share", "count", "纳统电商零售企业比重与贡献率综合得分全市排名",
       "纳统电商零售企业实物商品网络零售额占限上消费品零售额比重提升幅度及增长贡献率综合得分的全市名次", unit="位", units=["名"],
       aliases=["纳统比重排名"]),
    _f("county_growth_above_averages", "bool", "增幅高于全市和全省平均增幅", "县（市、区）的增幅同时高于全市和全省平均增幅",
       aliases=["高于全省平均", "高于全市平均"]),
    _f("county_rural_growth_above_averages", "bool", "农村网络零售增幅高于全市和全省平均", "县（市、区）农村网络零售增幅同时高于全市和全省平均增幅",
       aliases=["农村增幅高于平均"]),
    # agriculture, cooperatives
    _f("sells_local_agricultural_products", "bool", "经营本地农特产品", "主要经营本地（茌平区等）农特产品", aliases=["农特产品", "本地农产品", "农产品"]),
    _f("coop_agreement_years", "count", "与本地农民专业合作社购销协议年限", "与本地农民专业合作社形成的稳定购销协议年限", unit="年",
       aliases=["购销协议", "合作社协议"]),
    _f("coop_purchase", _MONEY, "年网销采购额（合作社）", "在本地农业基地或专业合作社的年网销采购额", aliases=["采购额", "合作社采购额"]),
    # logistics
    _f("express_companies_integrated", "count", "整合全国性快递物流企业数", "配送中心整合的全国性快递物流企业家数", unit="家", aliases=["整合快递企业"]),
    _f("five_unified", "bool", "实现「五统一」", "实现县域内仓储、分拣、运输、配送、揽件「五统一」", aliases=["五统一"]),
    _f("realtime_price_matching", "bool", "提供实时比价和撮合对接服务", "物流信息平台能够提供实时比价和撮合对接服务", aliases=["实时比价", "撮合对接"]),
    _f("county_parcel_share", "percent", "整合县域快递单量占比", "信息平台整合的县域快递单量占比（%）", aliases=["快递单量占比"]),
    _f("new_first_level_sorting_center", "bool", "新设一级分拨中心", "新设立的一级分拨中心（符合条件）", aliases=["一级分拨中心"]),
    _f("smart_locker_equipment_cost", _MONEY, "智能快递柜终端设备费用", "建设免费社区智能快递柜的终端设备费用", aliases=["快递柜费用", "终端设备费用"]),
    _f("express_companies_sharing", "count", "进驻共用的快递公司数", "进驻、共用仓储物流中心的快递公司家数", unit="家", aliases=["进驻快递公司"]),
    _f("warehouse_total_investment", _MONEY, "仓储物流中心总投资", "新建或升级的仓储物流中心总投资", aliases=["总投资", "仓储投资"]),
    _f("express_volume_2023_2024", "count", "2023、2024年累计国内异地快递业务量", "2023年、2024年累计国内异地快递业务量（本地发件量）",
       unit="件", aliases=["快递业务量", "发件量", "快递量"]),
    # training and jobs
    _f("trained_hires", "count", "吸纳经认定培训的人员就业人数", "当年吸纳经「白名单」培训机构或院校「专业+实训」培训的人员就业人数",
       unit="人", units=["名"], aliases=["吸纳就业", "吸纳培训人员"]),
    _f("trained_anchors_100k_fans", "count", "年培训主播数（10万粉丝以上）", "年培训的粉丝10万以上的主播人数", unit="人", units=["名"],
       aliases=["培训主播10万粉丝"]),
    _f("trained_anchors_50k_fans", "count", "年培训主播数（5万粉丝以上）", "年培训的粉丝5万以上的主播人数", unit="人", units=["名"],
       aliases=["培训主播5万粉丝"]),
    _f("trained_anchors_signed", "count", "签订一年以上直播业务合同的受训主播数", "受训主播中与本地企业签订一年及以上直播带货（业务劳务）合同的人数",
       unit="人", units=["名"], aliases=["签约主播数"]),
    _f("anchor_contract_years", "count", "与本地企业签订的直播带货合同年限", "培训机构（主播）与本地企业签订的直播带货业务合同年限", unit="年",
       aliases=["合同年限", "签订合同"]),
    _f("spun_off_from_production", "bool", "由生产企业剥离电商业务新成立", "生产企业剥离电商业务后新成立的电商企业", aliases=["剥离电商业务", "剥离"], situation=True),
    _f("branch_converted_to_legal_entity", "bool", "分支机构转为入库纳统的法人企业", "市（省）外电商企业在本地的分支机构转为入库纳统的法人企业",
       aliases=["分支机构转法人", "转为法人企业"], situation=True),
    _f("headquarters_scope", "enum", "总部（母公司）所在地", "申报企业（分支机构）的总部或母公司所在地相对本地的范围",
       values={"outside_province": "省外", "other_city_in_province": "省内其他市", "same_city": "本市"},
       question="总部（母公司）在哪里：省外、省内其他市，还是本市？"),
    # data year
    _f("data_year", "year", "经营数据所属年度", "申报所依据的经营数据（网络零售额等）所属的年度（「2022年度」「2023年度」分别计奖）",
       aliases=["数据年度", "统计年度", "申报年度"], question="所说的网络零售额等经营数据是哪一年度的（如2023）？"),
    # events (zibo 六)
    _f("hosts_livestream_forum_contest", "bool", "承办直播电商论坛、大赛等活动", "承办（举办）直播电商论坛、大赛等活动（影响力由主管部门认定）",
       aliases=["直播电商论坛", "直播电商大赛", "承办论坛", "承办大赛", "举办大赛"],
       question="是否承办（举办）直播电商论坛、大赛等活动？"),
]
FACTS: dict[str, FactDef] = {f.name: f for f in _FACTS}


class FactsError(ValueError):
    """A facts dict that cannot be used; ``problems`` lists each one in Chinese/English."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def close_names(name: str, n: int = 3) -> list[str]:
    return difflib.get_close_matches(name, list(FACTS), n=n, cutoff=0.5)


def get_fact(name: str) -> FactDef:
    try:
        return FACTS[name]
    except KeyError:
        hint = close_names(name)
        raise KeyError(f"unknown fact {name!r}" + (f" (did you mean: {', '.join(hint)}?)" if hint else "")) from None


def parse_level(raw: Any) -> str:
    s = str(raw).strip()
    if s in LEVELS:
        return s
    if s in LEVEL_ALIASES:
        return LEVEL_ALIASES[s]
    raise ValueError(f"不是有效的级别：{raw!r}（可用 national/provincial/city/county 或 国家级/省级/市级/县级）")


def parse_kind(raw: Any) -> str:
    s = str(raw).strip()
    if s in ENTITY_KINDS:
        return s
    for k in ENTITY_KINDS.values():
        if s == k.label or s in k.aliases:
            return k.name
    raise ValueError(f"不是已知的主体类型：{raw!r}")


def coerce_fact(fact: FactDef, raw: Any) -> Any:
    """One raw value (JSON/YAML/CLI) → the engine's value: Decimal for numbers (in 元/美元/% or the count unit),
    bool, date, int year, level or enum/kind name. Raises ValueError with a readable message."""
    from .rules.figures import FigureError, parse_figure

    t = fact.type
    if t == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("true", "yes", "是", "有", "1"):
            return True
        if isinstance(raw, str) and raw.strip().lower() in ("false", "no", "否", "没有", "无", "0"):
            return False
        raise ValueError(f"{fact.name} 应为 true/false，得到 {raw!r}")
    if t in ("money_yuan", "money_usd", "count", "percent"):
        default = {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(t, fact.unit or "")
        from .domain import check_figure  # finite, 0 ≤ x ≤ 10^15: the one numeric domain of facts

        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            check_figure(fact.name, raw)
        try:
            fig = parse_figure(raw, default)
        except FigureError as exc:
            raise ValueError(f"{fact.name}：{exc}") from None
        if fig.unit not in fact.accepted_units and fig.unit != default:
            raise ValueError(f"{fact.name} 的单位应为 {'/'.join(fact.accepted_units)}，得到 {raw!r}")
        value = fig.value
        if fact.unit == "月" and fig.unit == "年":
            value = value * 12
        return check_figure(fact.name, value)
    if t == "year":
        if isinstance(raw, bool) or not str(raw).strip().removesuffix("年").isdigit() or len(str(raw).strip()) > 5:
            raise ValueError(f"{fact.name} 应为年份，得到 {raw!r}")
        return int(str(raw).strip().removesuffix("年"))
    if t == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(f"{fact.name} 应为日期 YYYY-MM-DD，得到 {raw!r}") from None
    if t == "level":
        return parse_level(raw)
    if t == "enum":
        s = str(raw).strip()
        if s in fact.values:
            return s
        for k, label in fact.values.items():
            if s == label:
                return k
        raise ValueError(f"{fact.name} 应为 {'/'.join(fact.values)} 之一，得到 {raw!r}")
    if t == "kind":
        return parse_kind(raw)
    raise ValueError(f"unsupported fact type {t}")  # pragma: no cover


def validate_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Check and coerce a profile. Unknown names (with close names) and wrong types are all reported at once.
    ``None`` values mean unknown and are dropped."""
    if not isinstance(facts, dict):
        raise FactsError(["facts 应为 JSON 对象（键为事实名）"])
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, raw in facts.items():
        if name not in FACTS:
            hint = close_names(name)
            problems.append(f"未知的事实名 {name!r}" + (f"（是否指：{', '.join(hint)}）" if hint else ""))
            continue
        if raw is None:
            continue
        try:
            out[name] = coerce_fact(FACTS[name], raw)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise FactsError(problems)
    return out


def describe_value(fact: FactDef, value: Any) -> str:
    """A fact value as Chinese text: 「1000万元」「11%」「800平方米」「是」「国家级」."""
    from .rules.figures import format_figure

    if value is None:
        return "未知"
    t = fact.type
    if t == "bool":
        return "是" if value else "否"
    if t == "money_yuan":
        return format_figure(Decimal(value), "元")
    if t == "money_usd":
        return format_figure(Decimal(value), "美元")
    if t == "percent":
        return format_figure(Decimal(value), "%")
    if t == "count":
        return format_figure(Decimal(value), fact.unit or "")
    if t == "level":
        return LEVELS.get(value, str(value))
    if t == "enum":
        return fact.values.get(value, str(value))
    if t == "kind":
        return ENTITY_KINDS[value].label if value in ENTITY_KINDS else str(value)
    return str(value)
