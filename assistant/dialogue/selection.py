"""Which of the engine's awards an answer shows.

The engine evaluates every rule of every covering policy; an answer that listed
them all would bury the one that matters. An award is shown when it is about
this applicant and this question:

- eligible awards always (every condition was proven from what the user said);
- conditional awards whose applicant kind fits and that the question touches —
  a figure it names is one the rule tests, or retrieval ranks its clause high,
  or the question names the rule's topic;
- never a conditional award that hinges on an event the question does not mention
  (区外示范企业入驻 for 「本区企业获得了示范企业」) unless the question names its topic;
- ineligible awards only as near misses: the applicant fits and a fact the
  question states failed a condition — a figure short of a threshold (the engine
  says how far: a gap) or a stated date, level or yes/no that the clause excludes.

So 电商村 never appears for a 直播公司: the applicant check fails it outright.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from ..facts import FACTS, NUMERIC_TYPES
from ..rules.engine import evaluate_policies
from ..rules.results import Award, Evaluation

MAX_CONDITIONAL = 6
MAX_NEAR_MISSES = 3
MAX_MISSING = 3  # a conditional award needing more unknown facts than this is not shown unless named


@dataclass
class Selection:
    eligible: list[Award] = field(default_factory=list)
    conditional: list[Award] = field(default_factory=list)
    near_misses: list[Award] = field(default_factory=list)

    @property
    def shown(self) -> list[Award]:
        return [*self.eligible, *self.conditional, *self.near_misses]


def _applicant_outcome(award: Award) -> str:
    for step in award.trace:
        if step.kind == "applicant":
            return step.outcome
    return "pass"  # a rule open to any applicant


def _tested_facts(award: Award) -> set[str]:
    # the figure an award is computed from (its metric: outcome "applied") is tested too
    tested = {s.fact for s in award.trace if s.fact and s.outcome in ("pass", "fail", "assumed", "applied")}
    # A stand-in figure (网络零售额 used for 网络销售额) is the user's own figure at work in this rule.
    return tested | {s.used for s in award.assumptions}


def _unmentioned_situation(award: Award) -> bool:
    """The rule needs an event the user never mentioned (店铺回迁, 区外企业入驻 …): it is about someone else."""
    return any(FACTS[m.fact].situation for m in award.missing if m.fact in FACTS)


# Stated facts whose failure is worth telling (a date too early, a level too low, 未纳统). Not an enum
# or a year: 批发型 for a 零售型 platform, or the 2022年度 branch for 2023 data, is another case, not a miss.
_TELLING_FAILURES = ("date", "bool", "level")


def _all_facts(award: Award) -> set[str]:
    """Every fact the rule looks at, known or not."""
    return {s.fact for s in award.trace if s.fact} | {m.fact for m in award.missing} | _tested_facts(award)


def _failed_on(award: Award, stated: set[str]) -> bool:
    """A condition failed on a fact the user stated (获得称号在2022年8月 vs 「2023年1月1日后获得」)."""
    return any(
        s.outcome == "fail" and s.fact in stated and s.fact in FACTS and FACTS[s.fact].type in _TELLING_FAILURES
        for s in award.trace
    )


def _sort_key(award: Award) -> tuple:
    amount = award.amount_yuan if award.amount_yuan is not None else (award.max_yuan or 0)
    return (-amount, award.policy_id, award.rule_id)


def _conditional_key(award: Award, touched: bool, named: bool, ranked: bool) -> tuple:
    # Computed figures the user's own numbers produced first; then how much is still unknown.
    has_amount = award.amount_yuan is not None
    return (
        not (touched or named),
        not has_amount,
        len(award.missing),
        not ranked,
        -(award.amount_yuan or award.max_yuan or 0),
        award.rule_id,
    )


def select_awards(
    awards: Iterable[Award],
    stated_facts: Iterable[str],
    relevant_clauses: Set[tuple[str, str]] = frozenset(),
    topic_words: Iterable[str] = (),
    kind_known: bool = True,
) -> Selection:
    """Pick the awards worth showing, best first within each group.

    ``stated_facts``: fact names the user gave (besides entity_kind).
    ``relevant_clauses``: (policy_id, clause_id) that retrieval ranked high for the question.
    ``topic_words``: topic words the question names (流量补贴, 房租补助 …), matched against rule titles.

    When the user's figures touch some rules, retrieval alone does not add more:
    the figures are the stronger signal, and an answer that lists every clause
    sharing a word with the question helps nobody.
    """
    stated = set(stated_facts) - {"entity_kind"}
    topics = [t for t in topic_words if t]
    sel = Selection()
    candidates: list[tuple[tuple, Award, bool]] = []
    awards = list(awards)
    fitting_branches: dict[tuple[str, str], list[set[str]]] = {}
    for a in awards:
        if _applicant_outcome(a) == "pass":
            fitting_branches.setdefault((a.policy_id, a.clause_id), []).append(_tested_facts(a) & stated)

    def other_branch(a: Award) -> bool:
        """Clauses that split by applicant (第五条: 自播企业 / 生产企业 / MCN机构): when the user's facts
        that only the branch fitting their kind tests (自播, 直播网络零售额) pick that branch, the
        branch for a narrower kind they never claimed (MCN机构) is someone else's."""
        own = _all_facts(a)
        return any(touched - own for touched in fitting_branches.get((a.policy_id, a.clause_id), []))

    siblings: dict[tuple[str, str], list[Award]] = {}
    for a in awards:
        if _applicant_outcome(a) == "pass":
            siblings.setdefault((a.policy_id, a.clause_id), []).append(a)

    def superseded(a: Award) -> bool:
        """Another branch of the same clause fitting this applicant is picked by stated facts this one never
        looks at (第三方直播机构、佣金), while nothing stated is this branch's alone (自播)."""
        # a stand-in figure (网络零售额 used for 直播网络零售额) is the user's figure, not this branch's own matter
        mine = {st.fact for st in a.trace if st.fact and st.outcome in ("pass", "fail", "assumed")} & stated
        own = _all_facts(a)
        return any(
            b is not a and (_tested_facts(b) & stated) - own and not mine - _all_facts(b)
            for b in siblings.get((a.policy_id, a.clause_id), [])
        )

    def situated_elsewhere(a: Award) -> bool:
        """The user stated the situation another branch of the clause is for (区外示范企业入驻): that branch is
        theirs, and this one (本地企业获评), which never looks at that situation, is not — whatever the topic."""
        own = _all_facts(a)
        return any(
            b is not a
            and any(
                st.fact in FACTS
                and FACTS[st.fact].situation
                and st.outcome == "pass"
                and st.fact in stated
                and st.fact not in own
                for st in b.trace
            )
            for b in siblings.get((a.policy_id, a.clause_id), [])
        )

    for a in awards:
        applicant = _applicant_outcome(a)
        if applicant == "fail":
            continue
        touched_facts = _tested_facts(a) & stated
        touched = bool(touched_facts)
        # A figure the rule measures (not just a shared yes/no like 纳统) links a broader applicant
        # (企业) to a narrower kind's rule (MCN机构): 「企业自播，纳统…」 is not a question about MCN awards.
        touched_by_figure = any(FACTS[f].type in NUMERIC_TYPES for f in touched_facts if f in FACTS)
        ranked = (a.policy_id, a.clause_id) in relevant_clauses
        named = any(t in a.title or t in a.reference.text for t in topics)
        if a.status == "eligible":
            sel.eligible.append(a)
        elif a.status == "conditional":
            # Too much unknown means the user is far from this clause (no figure yet, or many facts to ask).
            limit = MAX_MISSING if a.amount_yuan is not None else MAX_MISSING - 1
            far = len(a.missing) > limit and not named
            if far or (_unmentioned_situation(a) and not named):
                continue
            if applicant == "pass" and ((superseded(a) and not named) or situated_elsewhere(a)):
                # 「跟第三方直播机构合作…佣金」 picks the 佣金 branch of 第五条; the 自播 branch it never
                # mentioned is another way of selling, not a second award to ask about
                continue
            if applicant == "pass" and (touched or ranked or named):
                candidates.append((_conditional_key(a, touched, named, ranked), a, touched or named))
            elif applicant == "unknown" and other_branch(a):
                continue
            elif applicant == "unknown" and (named or (touched_by_figure and ranked)):
                candidates.append((_conditional_key(a, touched, named, ranked), a, touched or named))
            elif not kind_known and touched and (ranked or named):
                candidates.append((_conditional_key(a, touched, named, ranked), a, True))
        elif applicant == "pass" and touched and (a.gap or _failed_on(a, stated)):
            sel.near_misses.append(a)
        elif applicant == "unknown" and touched_by_figure and a.gap and not other_branch(a):
            # 「某市的企业…4999万元」: the clause is for 电商企业; the user's figure is what falls short.
            sel.near_misses.append(a)
    if any(strong for _, _, strong in candidates) or sel.near_misses or sel.eligible:
        # The user's own facts settled some rules (either way, or proved one outright): clauses that only
        # share words with the question are noise.
        candidates = [c for c in candidates if c[2]]
    candidates.sort(key=lambda c: c[0])
    sel.conditional = [a for _, a, _ in candidates[:MAX_CONDITIONAL]]
    sel.eligible.sort(key=_sort_key)
    # Misses the applicant surely fits come first.
    sel.near_misses.sort(key=lambda a: (_applicant_outcome(a) != "pass", *_sort_key(a)))
    sel.near_misses = sel.near_misses[:MAX_NEAR_MISSES]
    return sel


_APPLICANT_RANK = {"pass": 2, "unknown": 1, "fail": 0}
_STATUS_RANK = {"eligible": 2, "conditional": 1, "ineligible": 0}


def _role_fit(award: Award) -> tuple[int, int]:
    return _APPLICANT_RANK.get(_applicant_outcome(award), 0), _STATUS_RANK.get(award.status, 0)


def evaluate_for_roles(policy_ids: list[str], facts: dict, other_kinds: Iterable[str] = (), **kw) -> Evaluation:
    """The engine's evaluation for an applicant with more than one role (「我们也是…直播基地」): each rule is
    judged as the role it fits best, so adding a role never drops an award the first role earned.
    ``facts['entity_kind']`` is the main role; a rule keeps its verdict for it unless another role fits
    the rule strictly better (the applicant check passes where it failed, or the status is higher)."""
    primary = evaluate_policies(policy_ids, facts, **kw)
    extra = [k for k in dict.fromkeys(other_kinds) if k and k != facts.get("entity_kind")]
    if not extra:
        return primary
    awards = {(a.policy_id, a.rule_id): a for a in primary.awards}
    warnings = list(primary.warning_items)  # structured; Evaluation.warnings renders them
    for kind in extra:
        other = evaluate_policies(policy_ids, {**facts, "entity_kind": kind}, **kw)
        for a in other.awards:
            key = (a.policy_id, a.rule_id)
            if key not in awards or _role_fit(a) > _role_fit(awards[key]):
                awards[key] = a
        warnings.extend(w for w in other.warning_items if w not in warnings)
    return primary.model_copy(update={"awards": list(awards.values()), "warning_items": warnings})
