"""Chinese wording → fact names, entity kinds and topics: the one table question understanding reads.

Fact names, types and most aliases come from assistant.facts (the vocabulary the
rules use). This module only adds what free text needs on top of it:
- extra wordings users type (「卖了」「GMV」「租了」「粉丝」…) — the facts.py aliases are
  written for rule authors and are thin for chat;
- *colloquial* words that map to the nearest defined figure only as an assumption
  (「销售额」→ 网络零售额), with the Chinese sentence that says so;
- aliases from facts.py that are too generic to bind a number in free text (「社保」「入驻」
  「首年」「证书」…) are kept out of the number-binding table.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.facts import ENTITY_KINDS, FACTS, kind_ancestors

# --- figures (numbers) ---------------------------------------------------------------------------

# Extra wordings: alias → facts, tried in order (the first whose type accepts the number wins,
# so 「增长」 binds a percent to the growth rate and an amount to the growth amount).
EXTRA_FIGURE_ALIASES: dict[str, tuple[str, ...]] = {
    # sales
    "网络零售总额": ("online_retail_sales",),
    "第一年网络零售额": ("first_year_online_retail_sales",), "第一年内网络零售额": ("first_year_online_retail_sales",),
    "迁入后网络零售额": ("first_year_online_retail_sales",), "回迁后网络零售额": ("first_year_online_retail_sales",),
    "迁回后网络零售额": ("first_year_online_retail_sales",), "回迁后首次年度网络零售额": ("first_year_online_retail_sales",), "纳统网络零售额": ("online_retail_sales",),
    "网络零售交易额": ("online_retail_sales",), "年网络零售额": ("online_retail_sales",),
    "年度网络零售额": ("online_retail_sales",), "网零": ("online_retail_sales",),
    "实物商品网上零售额": ("physical_online_retail_sales",), "实物网络零售额": ("physical_online_retail_sales",),
    "实物商品零售额": ("physical_online_retail_sales",),
    "直播零售额": ("livestream_online_retail_sales",), "直播间销售额": ("livestream_online_retail_sales",),
    "直播带货销售额": ("livestream_online_retail_sales",),
    "网络销售总额": ("online_sales",), "网上销售": ("online_sales",), "网销额": ("online_sales",),
    "年网络销售额": ("online_sales",), "年网上销售额": ("online_sales",),
    "电子商务交易额": ("ecommerce_transaction_volume",), "电商成交额": ("ecommerce_transaction_volume",),
    "批发销售额": ("wholesale_transaction_volume",),
    "平台销售额": ("own_platform_sales",), "平台交易额": ("own_platform_sales",),
    "平台年销售额": ("own_platform_sales",),
    # growth
    "增长": ("online_retail_sales_growth_rate", "online_retail_sales_growth"),
    "增长了": ("online_retail_sales_growth_rate", "online_retail_sales_growth"),
    "当年增长": ("online_retail_sales_growth_rate", "online_retail_sales_growth"),
    "同比增长": ("online_retail_sales_growth_rate", "online_retail_sales_growth"),
    "增加": ("online_retail_sales_growth_rate", "online_retail_sales_growth"),
    "增加了": ("online_retail_sales_growth_rate", "online_retail_sales_growth"),
    "下降": ("online_retail_sales_growth_rate",), "减少": ("online_retail_sales_growth_rate",),
    "两年平均增长": ("online_retail_sales_growth_rate_2yr_avg",), "两年平均增幅": ("online_retail_sales_growth_rate_2yr_avg",),
    "近两年平均增长": ("online_retail_sales_growth_rate_2yr_avg",), "2年平均增长": ("online_retail_sales_growth_rate_2yr_avg",),
    "两年年均增长": ("online_retail_sales_growth_rate_2yr_avg",), "两年平均增长率": ("online_retail_sales_growth_rate_2yr_avg",),
    "2年平均增长率": ("online_retail_sales_growth_rate_2yr_avg",),
    # cross-border
    "跨境出口额": ("cross_border_export_usd", "cross_border_export"),
    "跨境出口": ("cross_border_export_usd", "cross_border_export"),
    "跨境电商出口额": ("cross_border_export", "cross_border_export_usd"),
    "跨境电商出口": ("cross_border_export", "cross_border_export_usd"),
    "自营出口": ("self_operated_export",), "出口交货值": ("cross_border_export_delivery_value",),
    "跨境平台年成交额": ("cross_border_platform_turnover",), "跨境平台交易额": ("cross_border_platform_turnover",),
    "跨境电商平台成交额": ("cross_border_platform_turnover",),
    "独立站跨境电商交易额": ("independent_site_sales",), "独立站销售额": ("independent_site_sales",),
    "独立站年度跨境电商交易额": ("independent_site_sales",),
    "注册费": ("third_party_platform_fees",), "推广费": ("third_party_platform_fees",),
    "第三方平台费用": ("third_party_platform_fees",), "第三方平台各项费用": ("third_party_platform_fees",),
    "平台各项费用": ("third_party_platform_fees",), "平台费用": ("third_party_platform_fees",),
    "各项费用": ("third_party_platform_fees",),
    # the fee a platform charges; context_facts.py also counts it among the fees paid to third-party platforms
    "服务费": ("cross_border_platform_service_fee",), "平台服务费": ("cross_border_platform_service_fee",),
    "海外仓租费": ("overseas_warehouse_rent",), "租金": ("overseas_warehouse_rent",),
    # costs, investments
    "采购额": ("coop_purchase",), "采购了": ("coop_purchase",), "采购": ("coop_purchase",),
    "核定费用": ("event_cost",), "活动花了": ("event_cost",),
    "引才费用": ("anchor_recruitment_cost",), "引进费用": ("anchor_recruitment_cost",),
    "软硬件投资额": ("software_hardware_investment",), "软硬件投入": ("software_hardware_investment",),
    "软硬件": ("software_hardware_investment",),
    "总投资额": ("warehouse_total_investment",), "投资了": ("warehouse_total_investment",),
    "终端设备费用": ("smart_locker_equipment_cost",), "设备费用": ("smart_locker_equipment_cost",),
    "展位费": ("booth_fee",), "参展费": ("booth_fee",), "佣金": ("livestream_commission",),
    "对地方贡献": ("local_contribution",), "企业对地方贡献数": ("local_contribution",), "贡献数": ("local_contribution",),
    "地方贡献": ("local_contribution",),
    "带货额": ("anchor_local_sales",), "带货": ("anchor_local_sales",), "帮助企业带货": ("anchor_local_sales",),
    "省级奖励资金": ("provincial_warehouse_award",),
    # counts
    "粉丝": ("followers",), "粉丝数": ("followers",), "粉丝量": ("followers",), "粉": ("followers",),
    "直播间": ("livestream_rooms",), "主播": ("active_anchors",), "活跃主播": ("active_anchors",),
    "网店": ("online_shops",), "店铺": ("online_shops",), "活跃网店": ("active_shops",),
    "注册机构": ("registered_institutions",),
    "快递企业": ("express_companies_integrated",), "快递物流企业": ("express_companies_integrated",),
    "快递公司": ("express_companies_sharing",),
    "快递业务量": ("express_volume_2023_2024",), "业务量": ("express_volume_2023_2024",),
    "参加人数": ("event_participants",), "人参加": ("event_participants",), "参加": ("event_participants",),
    "活动": ("event_count",),
    "平台": ("cross_border_platforms",), "跨境平台": ("cross_border_platforms",),
    "绿色直播间": ("green_livestream_rooms",), "电商村": ("ecommerce_villages",),
    "网商": ("netshop_households",),
    "吸纳": ("trained_hires",), "就业": ("trained_hires",), "招了": ("trained_hires",),
    "引进主播": ("anchors_recruited",), "引进了": ("anchors_recruited",),
    "签约": ("trained_anchors_signed",),
    "单量占比": ("county_parcel_share",), "占比": ("county_parcel_share",),
    # areas (a generic 面积 is resolved by entity kind in figures.py)
    "租了": ("rented_area",), "租用": ("rented_area",), "租赁": ("rented_area",), "租的": ("rented_area",),
    "办公室": ("rented_area",), "仓库": ("rented_area",), "场地": ("rented_area",), "实际租用建筑面积": ("rented_area",),
    "建筑面积": ("rented_area",), "占地": ("usable_area",), "园区面积": ("usable_area",),
    "面积": ("rented_area", "usable_area"),
    # durations
    "经营": ("operating_months",), "连续经营": ("operating_months",), "经营满": ("operating_months",),
    "运营": ("operating_months",), "营业": ("operating_months",), "开了": ("operating_months",),
    "实际运营": ("operating_months",), "诚信经营": ("operating_months",),
    "在库存续": ("months_in_statistics",), "在库": ("months_in_statistics",), "存续": ("months_in_statistics",),
    "存续期": ("months_in_statistics",),
    "社保": ("social_insurance_months",), "缴社保": ("social_insurance_months",), "交社保": ("social_insurance_months",),
    "缴纳社保": ("social_insurance_months",), "缴了社保": ("social_insurance_months",),
    "承诺经营": ("commitment_years",), "承诺": ("commitment_years",), "承诺在本地经营": ("commitment_years",),
    "合同": ("anchor_contract_years",), "签了": ("anchor_contract_years",),
    "购销协议": ("coop_agreement_years",), "协议": ("coop_agreement_years",),
}

# Words that are not the defined figure but the nearest one: bound with a stated assumption.
COLLOQUIAL_FIGURES: dict[str, str] = {
    "销售额": "online_retail_sales", "年销售额": "online_retail_sales", "营业额": "online_retail_sales",
    "营收": "online_retail_sales", "营业收入": "online_retail_sales", "收入": "online_retail_sales",
    "流水": "online_retail_sales", "GMV": "online_retail_sales", "gmv": "online_retail_sales",
    "卖了": "online_retail_sales", "卖": "online_retail_sales", "线上卖了": "online_retail_sales",
    "线上销售": "online_retail_sales", "线上销售额": "online_retail_sales", "网上卖了": "online_retail_sales",
    "成交额": "online_retail_sales", "销售收入": "online_retail_sales", "零售额": "online_retail_sales",
    "网店销售额": "online_retail_sales", "销售": "online_retail_sales", "做了": "online_retail_sales",
    "电商销售额": "online_sales", "出口额": "cross_border_export", "出口": "cross_border_export",
    "年均增长": "online_retail_sales_growth_rate_2yr_avg", "平均增长": "online_retail_sales_growth_rate_2yr_avg",
    "纳税": "local_contribution", "税收": "local_contribution", "交税": "local_contribution",
    "投资": "warehouse_total_investment", "投入": "warehouse_total_investment",
    "房租": "rented_area",
}
# Sales-like facts: a colloquial 「销售额」 in a follow-up replaces whichever of these the user gave before.
SALES_FAMILY: tuple[str, ...] = (
    "online_retail_sales", "physical_online_retail_sales", "livestream_online_retail_sales", "online_sales",
    "ecommerce_transaction_volume", "own_platform_sales", "first_year_online_retail_sales",
)
# facts.py aliases too generic (or not figures at all) to bind a number in free text.
_ALIAS_DENY = {
    "社保", "入驻", "首年", "第一年", "证书", "荣誉", "签约", "独立站", "剥离", "农产品", "新认定", "入库", "主体",
    "类型", "我是", "我们是", "交易额", "年成交额", "每增长", "升级前", "复核", "原荣誉", "证书",
}


@dataclass(frozen=True)
class FigureAlias:
    word: str
    facts: tuple[str, ...]
    colloquial: bool = False  # bound only as an assumption
    context: str | None = None  # regex the question must match for the word to name this figure


def _fact_label(name: str) -> str:
    return FACTS[name].label


@lru_cache(maxsize=1)
def figure_aliases() -> dict[str, FigureAlias]:
    """Every wording that can name a numeric figure → FigureAlias (longest words are matched first)."""
    table: dict[str, FigureAlias] = {}
    for fact in FACTS.values():
        if fact.type not in ("money_yuan", "money_usd", "count", "percent"):
            continue
        for word in (fact.label, *fact.aliases):
            if word in _ALIAS_DENY or len(word) < 2:
                continue
            prev = table.get(word)
            table[word] = FigureAlias(word, (prev.facts if prev else ()) + (fact.name,))
    for word, facts in EXTRA_FIGURE_ALIASES.items():
        table[word] = FigureAlias(word, tuple(facts))
    for word, fact in COLLOQUIAL_FIGURES.items():
        table[word] = FigureAlias(word, (fact,), colloquial=True)
    for word, (facts, context) in CONTEXT_FIGURE_ALIASES.items():
        table[word] = FigureAlias(word, tuple(facts), context=context)
    for alias in table.values():
        for name in alias.facts:
            assert name in FACTS, f"vocabulary names unknown fact {name}"
    return table


def colloquial_assumption(word: str, fact: str) -> str:
    return f"将“{word}”理解为{_fact_label(fact)}"


# --- entity kinds --------------------------------------------------------------------------------

# A shop on a named platform (「做天猫店」「开了个京东店」): someone runs it, company or 个体户.
_SHOP_WORDS = tuple(f"{p}{s}" for p in ("天猫", "京东", "拼多多", "淘宝", "抖音", "快手", "唯品会", "1688")
                    for s in ("店", "店铺", "旗舰店", "专卖店", "网店") if f"{p}{s}" != "淘宝店")

# Extra wordings (facts.ENTITY_KINDS aliases are used too, minus single characters and the over-broad).
EXTRA_KIND_ALIASES: dict[str, str] = {
    "电商企业": "ecommerce_enterprise", "电商服务商": "service_enterprise", "服务商": "service_enterprise",
    "个体工商户": "individual_business", "个体户": "individual_business",
    "小微企业": "micro_enterprise", "电商小微企业": "micro_enterprise", "小微": "micro_enterprise",
    "直播电商企业": "livestream_company", "直播电商": "livestream_company", "直播机构": "livestream_company",
    "MCN机构": "mcn", "mcn": "mcn", "MCN": "mcn", "网红孵化机构": "mcn",
    "电商园区": "park", "电子商务产业园": "ecommerce_park", "电商产业园": "ecommerce_park", "电商基地": "park",
    "直播基地": "livestream_base", "直播产业园": "livestream_base",
    "跨境电商园区": "cross_border_park", "跨境电商产业园": "cross_border_park",
    "行政村": "village", "我们村": "village", "本村": "village", "村里": "village", "村委会": "village", "村委": "village",
    "乡镇": "town", "我们镇": "town", "本镇": "town", "镇里": "town", "镇政府": "town", "乡政府": "town",
    # 「某个镇」「全镇」「该村」: a lone 镇/村 with a determiner is the place itself
    **{f"{d}{k}": kind for k, kind in (("镇", "town"), ("村", "village")) for d in ("某个", "某", "全", "该", "我", "这个", "一个")},
    "我们县": "county", "我县": "county", "本县": "county", "县里": "county", "县政府": "county", "区政府": "county",
    "我们区": "county", "我区": "county", "县商务局": "county", "区商务局": "county", "县市区": "county",
    "县(市、区)": "county", "县区": "county",
    "培训机构": "training_institution", "培训学校": "training_institution", "培训公司": "training_institution",
    "快递企业": "express_company", "快递公司": "express_company", "快递网点": "express_company",
    "物流公司": "express_company",
    "物流配送中心": "logistics_center", "配送中心": "logistics_center",
    "快递物流信息平台": "logistics_info_platform", "物流信息平台": "logistics_info_platform",
    "自建平台": "platform_company", "电商平台": "platform_company", "本地电商平台": "platform_company",
    "自建线上交易平台": "platform_company", "交易平台": "platform_company",
    "外贸企业": "foreign_trade_enterprise", "外贸公司": "foreign_trade_enterprise",
    "跨境电商企业": "cross_border_enterprise", "跨境电商公司": "cross_border_enterprise",
    "生产企业": "production_enterprise", "工厂": "production_enterprise", "厂家": "production_enterprise",
    "生产厂家": "production_enterprise", "制造企业": "production_enterprise",
    "主播": "anchor", "网红": "influencer_account", "达人号": "influencer_account", "博主": "influencer_account",
    "抖音号": "influencer_account", "快手号": "influencer_account",
    # A shop is what a business runs, not what kind of business it is: 企业 or 个体工商户 stays open.
    "网店": "business_entity", "店铺": "business_entity", "淘宝店": "business_entity",
    "抖音小店": "business_entity", "小店": "business_entity", "网上店铺": "business_entity",
    **{w: "business_entity" for w in _SHOP_WORDS},
    "企业": "enterprise", "公司": "enterprise", "商贸企业": "trade_enterprise",
    "我们厂": "production_enterprise", "我厂": "production_enterprise", "本厂": "production_enterprise",
    "厂里": "production_enterprise",
    "某县": "county", "某区": "county", "该县": "county", "某县区": "county",
    "员工": "person",
    "电商协会": "business_entity", "行业协会": "business_entity", "协会": "business_entity",
    "一级分拨中心": "sorting_center", "分拨中心": "sorting_center",
}
# Facilities the rules name as the applicant: whoever set one up applies as it (「新设了一个一级分拨中心」).
FACILITY_KINDS = frozenset({"sorting_center", "logistics_center", "logistics_info_platform", "warehouse_center",
                            "smart_locker_operator"})
# Government bodies organise events and pay awards; they are the applicant only when nothing else is named.
GOVERNMENT_WORDS = frozenset({"县里", "区里", "县政府", "区政府", "县商务局", "区商务局", "镇政府", "乡政府", "镇里",
                              "村委会", "村委", "村里"})
# Wordings whose kind is an assumption worth saying (a 网店 may be run by a 个体户 or a company).
KIND_ASSUMPTIONS: dict[str, str] = {
    **{w: f"未说明“{w}”由企业还是个体工商户经营，按经营主体理解（请说明是企业还是个体工商户）"
       for w in ("网店", "店铺", "淘宝店", "小店", "抖音小店", "网上店铺", *_SHOP_WORDS)},
    **{w: f"将“{w}”按活动举办单位（经营主体）理解" for w in ("电商协会", "行业协会", "协会")},
    "网红": "将“网红”理解为达人号", "博主": "将“博主”理解为达人号",
}
_KIND_DENY = {"单位", "主体", "市场主体", "基地", "个体", "达人", "账号", "跨境电商", "入驻"}


@lru_cache(maxsize=1)
def kind_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for kind in ENTITY_KINDS.values():
        for word in (kind.label, *kind.aliases):
            if len(word) >= 2 and word not in _KIND_DENY:
                table.setdefault(word, kind.name)
    table.update(EXTRA_KIND_ALIASES)
    for word, kind in table.items():
        assert kind in ENTITY_KINDS, f"vocabulary names unknown kind {kind}"
    return table


def kind_specificity(kind: str) -> int:
    """Deeper in the hierarchy = more specific; kinds outside the business tree (园区, 村, 主播…) are specific."""
    chain = kind_ancestors(kind)
    return len(chain) if chain[-1] == "business_entity" else len(chain) + 3


def kind_label(kind: str) -> str:
    return ENTITY_KINDS[kind].label


# --- booleans ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoolPattern:
    pattern: str  # regex on normalised text
    fact: str
    value: bool = True  # what an un-negated mention means (「有负面新闻」 → negative_news True)
    context: str | None = None  # regex the question must also match (「首年」 states a platform's first award year)


BOOL_PATTERNS: tuple[BoolPattern, ...] = (
    BoolPattern(r"新注册|新成立|新设立|新登记|刚注册|刚成立|新开的?(?=公司|企业|店|网店)|今年(?:新)?(?:注册|成立)|当年(?:新)?注册|注册当年", "newly_registered_this_year"),
    BoolPattern(r"纳统|纳入统计|纳入了统计|入库纳统|入库|限上|统计直报|一套表|升规", "in_statistics"),
    BoolPattern(r"首次纳统|首次纳入[^,，。]{0,16}统计|首次入库|首次纳入限上|新上限", "first_in_statistics"),
    BoolPattern(r"独立法人|法人企业|独立核算", "independent_legal_person"),
    BoolPattern(r"本地农特产品|农特产品|本地农产品|本地特产|土特产", "sells_local_agricultural_products"),
    # a plain 「农产品」 is not 本地农特产品, but 「不是农产品」 rules them out
    BoolPattern(r"(?:不是|并非|不属于|不卖|不经营|没有)(?:本地)?(?:的)?农(?:特)?产品", "sells_local_agricultural_products", False),
    # 「卖的是日用品」「主营家电」: the goods are named, and they are not farm produce
    BoolPattern(r"(?:卖的是|卖的都是|经营的是|主营|主要卖|销售的是|做的是)(?:[^,，。?？]{0,4}?)"
                r"(?:日用品|日用百货|百货|家电|服装|衣服|鞋|箱包|电子产品|数码|家具|家居|化妆品|美妆|五金|玩具|文具|汽配|建材|"
                r"日化|纺织品|轴承|机械|钢材|电器)", "sells_local_agricultural_products", False),
    BoolPattern(r"迁回|回迁|迁入|搬回|迁到(?:了)?(?:本地|这里|茌平|聊城|淄博|济宁|缙云)", "relocated_shop"),
    BoolPattern(r"正常经营|依法纳税|照章纳税|按时纳税", "normal_operation_tax_paid"),
    BoolPattern(r"自播|自己直播|自主直播|自己做直播", "self_broadcast"),
    BoolPattern(r"第三方直播机构|和直播机构合作|与直播机构合作|委托直播", "cooperates_with_livestream_agency"),
    BoolPattern(r"(?:按时|正常|按月|一直)(?:缴纳?|交)(?:了)?社保|社保(?:都|也)?(?:按时|正常)(?:缴纳?|交)|缴纳?了?社保|交了?社保", "social_insurance_paid"),
    BoolPattern(r"平台授牌|授牌|挂牌", "platform_authorized_base"),
    BoolPattern(r"自主品牌|自有品牌", "own_brand"),
    BoolPattern(r"一级分拨中心|一级分拨", "new_first_level_sorting_center"),
    BoolPattern(r"五统一", "five_unified"),
    BoolPattern(r"负面新闻|负面舆情|负面报道", "negative_news"),
    BoolPattern(r"(?:分支机构|分公司|分支)[^。]{0,10}?转(?:为|成|变为)?了?(?:入库纳统的)?(?:独立)?法人|转(?:为|成)了?(?:入库纳统的)?(?:独立)?法人企业|转为入库",
                "branch_converted_to_legal_entity"),
    BoolPattern(r"租用(?:了)?(?:公共)?海外仓|租(?:了)?(?:公共)?海外仓|租赁海外仓", "rents_public_overseas_warehouse"),
    BoolPattern(r"省级(?:跨境电商)?公共海外仓", "own_overseas_warehouse_provincial"),
    BoolPattern(r"剥离(?:了)?(?:出)?(?:的)?电商业务|电商业务剥离|剥离出(?:来|去)", "spun_off_from_production"),
    BoolPattern(r"实时比价|撮合对接", "realtime_price_matching"),
    BoolPattern(r"新命名(?:的)?淘宝[村镇]|被(?:评为|命名为)淘宝[村镇]", "taobao_title_new"),
    BoolPattern(r"延续认定", "honor_renewal"),
    BoolPattern(r"首年", "own_platform_first_award_year", context=r"自建|平台"),
    BoolPattern(r"市政府批准", "event_city_approved"),
    BoolPattern(r"高于全[市省](?:和全[市省])?平均", "county_growth_above_averages"),
    BoolPattern(r"本地注册|注册在本地|在本地注册|在本地登记", "registered_locally"),
    BoolPattern(r"(?:与|和|跟|同)(?:本地)?(?:MCN机构|MCN|mcn|电商企业|电商服务型企业|纳统电商企业|企业|公司)签(?:了)?约|签约主播", "anchor_signed_with_local_org"),
    BoolPattern(r"新认定|新命名(?!的?淘宝)|新获评|首次获评|首次认定", "demo_newly_recognized"),
    BoolPattern(r"(?:承办|举办|主办)(?:了)?[^,，。]{0,8}(?:论坛|大赛)", "hosts_livestream_forum_contest"),
    BoolPattern(r"区外[^,，。]{0,10}示范企业[^,，。]{0,6}入驻|入驻[^,，。]{0,4}的?区外[^,，。]{0,6}示范企业", "relocated_demo_enterprise"),
)


# --- topics --------------------------------------------------------------------------------------

TOPICS: dict[str, str] = {
    "流量补贴": r"流量补贴|流量奖励", "房租补助": r"房租补[助贴]|租金补[助贴]|房租|租房补[助贴]",
    "创业补贴": r"创业补[贴助]|创业奖励", "海外仓": r"海外仓", "达人号": r"达人号|网红|粉丝",
    "绿色直播间": r"绿色直播间", "展会补助": r"展会|展位|参展", "引才奖励": r"引才|引进(?:大)?主播|大主播",
    "人才培训": r"培训", "智能快递柜": r"快递柜", "集仓共配": r"集仓共配|共配", "分拨中心": r"分拨中心",
    "示范创建": r"示范(?:园区|企业|基地|镇|村|项目)", "淘宝村镇": r"淘宝[村镇]", "电商村镇": r"电商[村镇]",
    "金融服务": r"齐鲁电商贷|贷款|融资|授信", "自建平台": r"自建(?:线上交易)?平台|电商平台", "独立站": r"独立站",
    "跨境电商": r"跨境|出口|外贸", "MCN机构": r"MCN|mcn", "直播基地": r"直播基地", "网店迁回": r"迁回|回迁",
    "纳统奖励": r"纳统|入库|限上", "快递物流": r"快递|物流|配送中心", "电商活动": r"论坛|大赛|活动|节会",
    "标准制定": r"国家标准|行业标准", "农产品上行": r"合作社|农特产品|农产品", "直播电商": r"直播|带货",
    "荣誉称号": r"荣誉称号|荣誉", "政策有效期": r"有效期|什么时候(?:截止|到期)|过期|还有效",
}
# Third-party platforms named in questions: context only, never the applicant's kind.
PLATFORM_NAMES = r"京东|淘宝|天猫|拼多多|抖音|快手|亚马逊|阿里巴巴|1688|唯品会|小红书|视频号|微信小店|速卖通|Shopee|TikTok|美团"


# --- figures that need context -------------------------------------------------------------------

# Wordings that name a figure only when the question is about a given matter: 「省里奖了200万」 is the
# provincial award of an overseas warehouse, 「来了199人」 the participants of an event.
CONTEXT_FIGURE_ALIASES: dict[str, tuple[tuple[str, ...], str]] = {
    "省里奖了": (("provincial_warehouse_award",), r"海外仓"), "省里奖励": (("provincial_warehouse_award",), r"海外仓"),
    "省里给了": (("provincial_warehouse_award",), r"海外仓"), "省级奖励": (("provincial_warehouse_award",), r"海外仓"),
    "省里奖": (("provincial_warehouse_award",), r"海外仓"), "省里补了": (("provincial_warehouse_award",), r"海外仓"),
    "来了": (("event_participants",), r"论坛|大赛|比赛|活动|会|节"),
    "到场": (("event_participants",), r"论坛|大赛|比赛|活动|会|节"),
}

# Money figures the rules read as a total; 「每个点终端设备费用4万元」 with 「10个…点位」 is 40万 in all.
TOTAL_FACTS = frozenset({
    "smart_locker_equipment_cost", "booth_fee", "software_hardware_investment", "third_party_platform_fees",
    "cross_border_platform_service_fee", "overseas_warehouse_rent", "warehouse_total_investment", "coop_purchase",
})

# 「没有批发业务」 states the figure: zero.
ZERO_FIGURES: tuple[tuple[str, str], ...] = (
    (r"(?:没有|没|无|不做|不搞|未开展)批发(?:业务|交易|销售)?", "wholesale_transaction_volume"),
)
