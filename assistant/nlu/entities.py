"""Who is asking: the applicant's entity kind (企业, 直播电商企业, MCN机构, 村, 县, 主播 …).

Several kinds are often named (「与MCN机构签约的主播」, 「40名主播」); the applicant is, in order:
1. a facility the asker set up (「新设了一个一级分拨中心」): the rules name the facility as the applicant;
2. the kind the question says will receive the money (「机构能拿多少」「县里能拿多少」);
3. the one the user says they are (「我是…」「我们物流公司」「我开了一家…」);
4. else the most specific kind named as a subject.
Kinds named as objects (after 与/和/帮/给…, or what was 引进/培训 in the clause), counted
(「6家快递企业」), or only a modifier (「电商企业员工」) are not the applicant. Government
bodies (「县里」「县商务局」) organise or pay; they are the applicant only when nothing else is
named, and never when they pay (「县里奖多少」).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel

from assistant.facts import kind_ancestors
from assistant.textnorm import CLAUSE_PUNCT

from .asking import names_award
from .mentions import Mention
from .vocabulary import (
    FACILITY_KINDS,
    GOVERNMENT_WORDS,
    KIND_ASSUMPTIONS,
    PLATFORM_NAMES,
    kind_aliases,
    kind_label,
    kind_specificity,
)

_OBJECT_BEFORE = re.compile(r"(?:与|和|跟|同|给|帮助?|为|向|替|对|入驻|签约)[^,，。;；!?]{0,5}$")
# A verb earlier in the same clause whose object the kind is: 「引进了一个…大主播」「培训了25名…主播」.
_OBJECT_VERB = re.compile(
    r"(?:引进|招聘|聘请|招募|新招|招了|招到|吸纳|孵化|培训|培养|(?<![申邀])请了?|找了?|委托|雇了?|借助)(?!机构|学校|公司|基地|证书|班)"
)
_SUBJECT_BEFORE = re.compile(
    r"(?:我是|我们是|作为|本人是|我家是|我们这是|我(?:们)?(?:在[^,，。]{0,8})?(?:开了|开|办了|注册了|成立了|有)(?:一|1)?(?:家|个|间)?|我的|我们的)[^,，。]{0,4}$"
)
_SELF_BEFORE = re.compile(r"(?:我们|咱们|我|咱|本)$")  # 「我们物流公司」「我们厂」
_PLATFORM_BEFORE = re.compile(rf"(?:{PLATFORM_NAMES})(?:的)?$")
_VENUE_BEFORE = re.compile(
    r"(?:在|通过|借助|依托|利用|入驻|登录)[^,，。]{0,4}$"
)  # 「在跨境电商平台上卖」: where, not who
_MODIFIER_AFTER = re.compile(r"^(?:的)?(?:员工|职工|工作人员|从业人员|户籍|户口|劳动者|居民|人口)(?!社保|的社保|工资)")
# 「在本县揽收」「在本区注册」: 本县/本区 after 在 says where, not who
_WHERE_BEFORE = re.compile(r"(?:在|于|到|来)$")  # 「电商企业员工」: the employee is the subject
_FIELD_AFTER = re.compile(
    r"^(?:领域|行业|方面|相关|产业|业务|政策|标准)"
)  # 「直播电商领域的行业标准」: a field, not a who
_PAYS_FOR_STAFF = re.compile(r"^(?:的)?(?:社保|社会保险|工资)")  # 「员工社保」 is about the employer
_FOUNDED_BEFORE = re.compile(r"(?:新成立|新设立|新注册|另外成立|单独成立|成立)了(?:一|1)?(?:家|个)?$")
_NEW_BEFORE = re.compile(
    r"(?:新成立|新注册|新设立|新登记|刚成立|刚注册)的?$"
)  # 「新成立的电商企业」: the one in question
_PAYER_AFTER = re.compile(r"^(?:能|可以|会|再|还|一共|总共|给予?|能给)?(?:奖|补|给|配套|拨|发|出|兑现)")
# 「建了30个免费社区智能快递柜」: a count and a few modifiers may stand between the verb and the facility
_BUILD_BEFORE = re.compile(
    r"(?:新设|设立|新建|建设|建成|建了|建|搭建|成立)(?:了)?(?:[0-9一二三四五六七八九十两]+(?:个|座|家|处|台|套)[^,，。;；0-9]{0,6}|(?:一|1)?(?:个|座|家|处)?)$"
)
# The money goes to …: 「机构能拿多少」「园区运营方能拿多少」「县里能拿多少市级补贴」.
_WORKS_AT = re.compile(r"(?P<me>我|本人)(?:现在|目前)?在[^,，。;；]{1,16}?(?:上班|工作|任职|就职|打工)")
_CLAIM = re.compile(r"(?:都|也|还)?(?:能|可以|可|能够)(?:拿|得到|得|领|获得|享受|申请|申报)")
_CLAUSE_BREAK = CLAUSE_PUNCT
# 「电商村只有2个」: the number after the kind counts it when nothing else follows the number
# (「直播基地有40名主播」 counts the 主播).
_COUNT_AFTER = re.compile(r"(?:只有|有|共有|共|一共有?|总共有?|数量为?|数为?|个数为?)?")
_COUNT_ENDS = re.compile(r"(?:了|吧|呢|啊)?(?:[,，。;；!！?？\n]|$)")
_PLATFORM_KIND = "platform_company"


class KindMention(BaseModel):
    kind: str
    label: str
    text: str
    start: int
    end: int
    subject: bool = False  # the user says they are this
    role: str = (
        "subject"  # subject | object | counted | payer | weak (government body, applicant only as a last resort)
    )
    built: bool = False  # a facility the asker set up
    firm: bool = False  # the word itself says so (「我们村」「本县」): never read as a mere owner in 「X的Y」
    claimant: bool = False  # named as the one who receives the money


class KindResult(BaseModel):
    kind: str | None = None
    mention: KindMention | None = None
    mentions: list[KindMention] = []
    assumption: str | None = None


@lru_cache(maxsize=1)
def _regex() -> re.Pattern:
    words = sorted(kind_aliases(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


# How far back in its clause a kind's context is read: enough for 「引进了一个年直播网络销售额6000万的带货大主播」,
# and bounded so that long hostile input stays linear.
_CONTEXT_CHARS = 40


def _clause_start(breaks: list[int], pos: int) -> int:
    """Start of the clause holding ``pos``; ``breaks`` are the positions of clause-break characters."""
    i = bisect_left(breaks, pos)
    return breaks[i - 1] + 1 if i else 0


def _claimants(text: str, breaks: list[int], found: list[KindMention]) -> list[KindMention]:
    """Mentions named right before 「能拿/可以获得…」 — or, for a bare 「机构」「单位」, the named kind it refers to."""
    out: list[KindMention] = []
    starts = [k.start for k in found]
    for m in _CLAIM.finditer(text):
        lo = max(_clause_start(breaks, m.start()), m.start() - 8)
        window = text[lo : m.start()]
        inside = [k for k in found[bisect_left(starts, lo) : bisect_left(starts, m.start())] if k.end <= m.start()]
        if inside:
            out.append(inside[-1])
            continue
        tail = window[-2:]
        if len(tail) == 2:
            refs = [k for k in found[: bisect_left(starts, m.start())] if k.text.endswith(tail) and k.role != "payer"]
            if refs:
                out.append(refs[-1])
    return out


def find_kinds(text: str, mentions: list[Mention], blocked: Sequence[tuple[int, int]] = ()) -> KindResult:
    table = kind_aliases()
    # a Chinese 「一家」「一个」 before a kind is an article (「X区一家企业」), not a count
    numbers = [m for m in mentions if m.kind in ("count", "number") and not (m.chinese_numeral and m.value == 1)]
    found: list[KindMention] = []
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    trained_kinds: set[str] = set()  # kinds named as what was 引进/培训: later mentions refer back to them
    for m in _regex().finditer(text):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        word = m.group()
        kind = table[word]
        before = text[max(0, m.start() - 16) : m.start()]
        clause_before = text[max(_clause_start(breaks, m.start()), m.start() - _CONTEXT_CHARS) : m.start()]
        after = text[m.end() : m.end() + 6]
        firm = word.startswith(("我", "本"))
        stated = firm or bool(
            _SUBJECT_BEFORE.search(before) or _SELF_BEFORE.search(before) or _NEW_BEFORE.search(before)
        )
        role = "subject"
        built = False
        count_gap = _COUNT_AFTER.match(text, m.end())
        assert count_gap is not None, "every part of _COUNT_AFTER is optional: it always matches"
        if any(0 <= m.start() - n.end <= 1 for n in numbers) or any(
            n.start == count_gap.end() and _COUNT_ENDS.match(text, n.end) for n in numbers
        ):
            role = "counted"  # 「6家快递企业」「活跃主播40人」「电商村只有2个」
        elif (
            _MODIFIER_AFTER.match(after)
            or _FIELD_AFTER.match(after)
            or (kind == "person" and _PAYS_FOR_STAFF.match(after))
            or (word.startswith("本") and _WHERE_BEFORE.search(before))
        ):
            role = "object"  # 「电商企业员工参加了培训」; 「缴纳员工社保」
        elif kind == _PLATFORM_KIND and (
            _PLATFORM_BEFORE.search(before) or _VENUE_BEFORE.search(clause_before) or after.startswith("上")
        ):
            role = "object"  # 「在京东电商平台」「在跨境电商平台上」 is where they sell, not what they are
        elif _OBJECT_BEFORE.search(before) and not stated:
            role = "object"
        elif _OBJECT_VERB.search(clause_before) and not stated:
            role = "object"
        elif not stated and names_award(text, m.start(), m.end()):
            role = "object"  # 「能拿自建平台那10万吗」: the kind names the award asked about, not the asker
        elif kind in trained_kinds and not stated:
            role = "object"  # 「培训了25名主播…，主播都签了合同」: the same trained anchors, not the applicant
        if role in ("object", "counted") and _OBJECT_VERB.search(clause_before):
            trained_kinds.add(kind)
        elif word in GOVERNMENT_WORDS and not stated:
            role = "payer" if _PAYER_AFTER.match(after) else "weak"
        if kind in FACILITY_KINDS and role in ("subject", "counted") and _BUILD_BEFORE.search(clause_before):
            built, role = True, "subject"  # several facilities built by the asker still make it their operator
        elif role == "subject" and _FOUNDED_BEFORE.search(clause_before):
            built = True  # 「把电商业务剥离出来新成立了一家电商公司」: the new company is the one that applies
        found.append(
            KindMention(
                kind=kind,
                label=kind_label(kind),
                text=word,
                start=m.start(),
                end=m.end(),
                subject=stated,
                role=role,
                built=built,
                firm=firm,
            )
        )
    # 「我在X县一家电商公司上班」: the company is where the speaker works; the speaker applies as a person
    for job in _WORKS_AT.finditer(text):
        if any(s <= job.start() < e for s, e in blocked):
            continue
        inside = [k for k in found if job.start() <= k.start < job.end()]
        if inside and all(k.kind != "person" for k in inside):
            for k in inside:
                k.role = "object"
            found.append(
                KindMention(
                    kind="person",
                    label=kind_label("person"),
                    text=job.group("me"),
                    start=job.start(),
                    end=job.start() + len(job.group("me")),
                    subject=True,
                    firm=True,
                )
            )
            found.sort(key=lambda k: k.start)
    # 「X市某县的县域快递物流配送中心」「我们公司的直播基地」: in 「X的Y」 the head Y is what is meant and X
    # only says whose — unless Y is just a broader word for X (「我们公司的网店」 is still the company)
    starts = [k.start for k in found]
    for i, k in enumerate(found):
        if k.role == "subject" and not k.firm and text[k.end : k.end + 1] == "的":
            j = bisect_left(starts, k.end + 1, i + 1)
            if (
                j < len(found)
                and found[j].start <= k.end + 7
                and not _CLAUSE_BREAK.search(text, k.end, found[j].start)
                and found[j].kind not in kind_ancestors(k.kind)
            ):
                k.role = "object"
                found[j].subject = found[j].subject or k.subject  # 「我是MCN机构的主播」: the speaker is the 主播
    for k in _claimants(text, breaks, found):
        if k.role in ("subject", "weak"):
            k.claimant = True
    subjects = [k for k in found if k.role == "subject"]
    claimed = [k for k in found if k.claimant]
    if not subjects:
        subjects = [k for k in found if k.role == "weak"]
    if not subjects:
        return KindResult(mentions=found)
    best = _choose(subjects, claimed)
    return KindResult(kind=best.kind, mention=best, mentions=found, assumption=KIND_ASSUMPTIONS.get(best.text))


def _most_specific(pool: list[KindMention]) -> KindMention:
    return max(enumerate(pool), key=lambda item: (kind_specificity(item[1].kind), -item[0]))[1]


def _choose(subjects: list[KindMention], claimed: list[KindMention]) -> KindMention:
    built = [k for k in subjects if k.built]
    if built:
        return built[-1]
    # 「快递公司，有分拨中心」: a facility named after the business, which it only has (not one it sets up, nor
    # one named as the claimant), describes the applicant; it does not replace it. A facility named first is the
    # one speaking (「配送中心整合了5家快递企业」).
    business = [k for k in subjects if k.kind not in FACILITY_KINDS and kind_ancestors(k.kind)[-1] == "business_entity"]
    if business and not any(k.kind in FACILITY_KINDS for k in claimed):
        first = business[0].start
        subjects = [k for k in subjects if k.kind not in FACILITY_KINDS or k.start < first] or subjects
    stated = [k for k in subjects if k.subject]
    if claimed:
        base = claimed[-1]
    elif stated:
        base = _most_specific(stated)
    else:
        return _most_specific(subjects)
    # 「电商产业园…园区运营方能拿」「我们企业是一家MCN机构」: a narrower kind of the same thing named elsewhere wins
    narrower = [k for k in subjects if base.kind in kind_ancestors(k.kind)]
    return _most_specific(narrower) if narrower else base
