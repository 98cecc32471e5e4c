"""The deterministic rule engine: a rule + a profile → an Award; policies + a profile → an Evaluation.

Pure functions of (rules, policy metadata, facts, today); Decimal arithmetic only. An ``Engine`` is built
once from a RuleBook and the policies' metadata (validated at init) and answers ``run(policy_ids, facts,
today)``; nothing is read from settings or the corpus here. A rule is never evaluated on an assumed fact:
an unknown fact makes the award ``conditional`` and is reported as ``Missing``; a stand-in fact
(``fallbacks``) is named as an ``Assumption``. Failed conditions make it ``ineligible``, with the gap to
the threshold when there is one. Each award form computes itself (schema.py ``compute``); the engine
records data (``Reason``), and assistant/rules/wording.py words it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..facts import kind_relation, validate_facts
from ..models import cite, validity_state
from .context import (
    ITEMS,
    Amount,
    Ctx,
    compare,  # noqa: F401  (kept for callers that imported it from here)
    is_next_step,
    money,
)
from .loader import RuleBook
from .results import (
    Award,
    BreakdownItem,
    Evaluation,
    InstalmentOut,
    Reason,
    Reference,
)
from .schema import PolicyRules, Rule

Note = str | Reason


# --- policy context -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyInfo:
    """What the engine needs from the corpus metadata (bare when the policy is not in the corpus)."""

    policy_id: str
    title: str = ""
    status: str = "final"
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    validity_text: str = ""

    @classmethod
    def from_meta(cls, meta: Any) -> PolicyInfo:
        """From a corpus PolicyMeta."""
        return cls(
            meta.id, meta.citation_title, meta.status, meta.effective_from, meta.effective_to, meta.validity_text or ""
        )

    def validity_on(self, day: dt.date) -> str:
        return validity_state(self.effective_from, self.effective_to, day)

    def warnings_on(self, today: dt.date) -> tuple[str, list[Reason]]:
        """(validity on ``today``, the warnings it calls for: draft, expired, not yet, dates not stated)."""
        validity = self.validity_on(today)
        d: dict[str, Any] = {"policy_id": self.policy_id, "title": self.title}
        out = []
        if self.status == "draft":
            out.append(Reason(code="policy_draft", data=d))
        if validity == "expired":
            out.append(Reason(code="policy_expired", data={**d, "effective_to": self.effective_to, "today": today}))
        elif validity == "not_yet":
            out.append(Reason(code="policy_not_yet", data={**d, "effective_from": self.effective_from}))
        elif validity == "unknown" and self.validity_text:
            out.append(Reason(code="policy_dates_unstated", data={**d, "validity_text": self.validity_text}))
        return validity, out


def policy_infos(metas: Iterable[Any]) -> dict[str, PolicyInfo]:
    """policy id → PolicyInfo, from corpus PolicyMeta objects (or PolicyInfo objects, kept as they are)."""
    return {
        m.policy_id if isinstance(m, PolicyInfo) else m.id: m if isinstance(m, PolicyInfo) else PolicyInfo.from_meta(m)
        for m in metas
    }


# --- profile --------------------------------------------------------------------------------------


def validate_profile(facts: dict[str, Any]) -> dict[str, Any]:
    """validate_facts, keeping ``items`` (a list of fact mappings, each validated) for sum_over_items awards."""
    if not isinstance(facts, dict) or ITEMS not in facts:
        return validate_facts(facts)
    rest = {k: v for k, v in facts.items() if k != ITEMS}
    raw_items = facts[ITEMS]
    if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        from ..facts import FactsError

        raise FactsError(["items 应为列表，每项是一个事实对象（如每名主播的销售额）"])
    out = validate_facts(rest)
    out[ITEMS] = [validate_facts(i) for i in raw_items]
    return out


# --- one rule -------------------------------------------------------------------------------------


def _check_applicants(rule: Rule, ctx: Ctx) -> str:
    kinds = list(rule.applicants)
    profile = ctx.facts.get("entity_kind")
    r = Reason(code="applicant", fact="entity_kind", op="in", threshold=kinds, actual=profile, data={"kinds": kinds})
    if profile is None:
        ctx.need("entity_kind", context=r)
        ctx.step("applicant", r, "unknown", "entity_kind")
        return "unknown"
    rels = [kind_relation(profile, k) for k in kinds]
    if "pass" in rels:
        ctx.step("applicant", r, "pass", "entity_kind")
        return "pass"
    if "unknown" in rels:
        ctx.need("entity_kind", context=r)
        ctx.step("applicant", r, "unknown", "entity_kind")
        return "unknown"
    ctx.failed.append(r)
    ctx.step("applicant", r, "fail", "entity_kind")
    return "fail"


def _contribution_caps(rule: Rule, pr: PolicyRules | None, amount: Decimal | None, ctx: Ctx) -> Decimal | None:
    """Contribution ceilings (不得超过企业对地方贡献数的20%): applied when known, else asked."""
    if pr is None:
        return amount
    for cc in pr.contribution_caps:
        if rule.id not in cc.rules:
            continue
        contrib = ctx.facts.get(cc.fact)
        d = {"share": cc.share, "quote": cc.quote}
        if contrib is None:
            r = Reason(code="contribution_cap", fact=cc.fact, data=d)
            ctx.need(cc.fact, context=r)
            ctx.step("contribution_cap", r, "unknown", cc.fact)
        elif amount is not None:
            limit = money(Decimal(contrib) * cc.share.value / 100)
            r = Reason(
                code="contribution_cap",
                fact=cc.fact,
                threshold=limit,
                actual=Decimal(contrib),
                data={**d, "amount": amount},
            )
            if amount > limit:
                ctx.step("contribution_cap", r, "applied", cc.fact)
                amount = limit
            else:
                ctx.step("contribution_cap", r, "not_applied", cc.fact)
    return amount


def evaluate_rule(rule: Rule, pr: PolicyRules | None, info: PolicyInfo, facts: dict[str, Any], today: dt.date) -> Award:
    """One rule against a validated profile."""
    ctx = Ctx(facts=facts)
    a = rule.award
    kind = _check_applicants(rule, ctx)
    # An unrelated applicant kind settles it: the conditions would only add noise (and time).
    outcomes = [kind] + ([c.check(ctx) for c in rule.conditions] if kind != "fail" else [])
    to_confirm: list[str] = []
    shown: list[Reason] = []
    for req in rule.requirements:
        if req.compare is not None:
            if kind != "fail":
                outcomes.append(req.compare.check(ctx))
        elif req.kind == "fact":
            to_confirm.append(req.wording)
            ctx.step("requirement", Reason(code="requirement_fact", wording=req.wording), "info")
        else:
            shown.append(req.shown())
            ctx.step("requirement", req.shown(), "info")
    if kind != "fail" and a.per_year is not None:
        outcomes.append(a.per_year.check(ctx))  # a figure of a year the rule does not pay for
    failed = "fail" in outcomes
    if not failed:
        amt = a.compute(ctx)
        if a.less_received is not None and amt.reached:
            amt = a.less_received.apply(amt, ctx)
        if not amt.reached:
            failed = True
    else:
        # Still say what the rule could pay, so an ineligible award shows its stakes.
        amt = Amount(None, a.max_amount())
    amount = _contribution_caps(rule, pr, amt.amount if not failed else None, ctx)
    if failed:
        status = "ineligible"
    elif ctx.missing or ctx.assumptions or amt.conditional or "unknown" in outcomes:
        status = "conditional"
    else:
        status = "eligible"
    warnings: list[Note] = []
    instalments: list[InstalmentOut] = []
    notes: list[Note] = [*rule.notes, *ctx.notes]
    if pr is not None:
        warnings += [fund.message for fund in pr.funds if pr.covers(fund, rule.id)]
        notes += [note.message for note in pr.notes if pr.covers(note, rule.id)]
        if pr.payment and pr.covers(pr.payment, rule.id) and status != "ineligible":
            parts = []
            for ins in pr.payment.instalments:
                share = ins.share.value
                part = money(amount * share / 100) if amount is not None else None
                instalments.append(
                    InstalmentOut.model_construct(label=ins.label, share_percent=share, amount_yuan=part)
                )
                parts.append({"label": ins.label, "share": share, "amount": part})
            warnings.append(Reason(code="instalments", data={"parts": parts}))
    validity, pw = info.warnings_on(today)
    warnings += pw
    if rule.valid_to and today > rule.valid_to:
        warnings.append(Reason(code="rule_expired", data={"valid_to": rule.valid_to}))
    if rule.valid_from and today < rule.valid_from:
        warnings.append(Reason(code="rule_not_yet", data={"valid_from": rule.valid_from}))
    if rule.review == "needed":
        warnings.append(Reason(code="review_needed"))
    if rule.data_years:
        notes.append(Reason(code="data_years", data={"years": list(rule.data_years)}))
    if status == "ineligible":
        gap = ctx.gaps[0] if ctx.gaps else None
    else:
        gap = next((g for g in ctx.gaps if is_next_step(g)), None)
    return Award.model_construct(
        rule_id=rule.id,
        policy_id=rule.policy_id,
        clause_id=rule.clause_id,
        title=rule.title,
        status=status,
        form=a.form,
        amount_yuan=amount,
        max_yuan=amt.max if amt.max is not None else a.max_amount(),
        is_ceiling=bool(a.ceiling),
        discretionary=a.discretionary,
        per_year=a.per_year is not None,
        years=list(a.per_year.years) if a.per_year else [],
        one_time=a.one_time,
        recipient=rule.recipient,
        missing=list(ctx.missing.values()) if status != "ineligible" else [],
        assumptions=list(ctx.assumptions.values()),
        failed_reasons=ctx.failed if status == "ineligible" else [],
        gap_reason=gap,
        requirement_reasons=shown + ctx.requirements,
        to_confirm=to_confirm + ctx.to_confirm,
        review_needed=rule.review == "needed",
        trace=ctx.trace,
        note_items=notes,
        warning_items=warnings,
        instalments=instalments,
        policy_validity=validity,
        reference=Reference.model_construct(
            policy_id=rule.policy_id,
            clause_id=rule.clause_id,
            text=rule.reference,
            policy_title=info.title,
            citation=cite(info.title, rule.clause_id),
        ),
    )


# --- the engine -----------------------------------------------------------------------------------


class Engine:
    """Rules and policy metadata, checked once; ``run`` evaluates a profile against policies on a given day."""

    def __init__(self, book: RuleBook, policies: Mapping[str, PolicyInfo] | Iterable[Any] = ()) -> None:
        if not isinstance(book, RuleBook):
            raise TypeError(f"Engine needs a RuleBook, got {type(book).__name__}")
        infos = dict(policies) if isinstance(policies, Mapping) else policy_infos(policies)
        bad = [k for k, v in infos.items() if not isinstance(v, PolicyInfo) or v.policy_id != k]
        if bad:
            raise ValueError(f"policy metadata must map each id to its PolicyInfo: {bad}")
        self.book = book
        # A rule file whose policy is not in the corpus (synthetic tests) has no title or validity to report.
        self.policies = {pid: infos.get(pid, PolicyInfo(pid)) for pid in {*infos, *book.policies}}

    def info(self, policy_id: str) -> PolicyInfo:
        return self.policies.get(policy_id) or PolicyInfo(policy_id)

    def evaluate(self, rule: Rule, facts: dict[str, Any], today: dt.date, validated: bool = False) -> Award:
        """One rule. ``facts`` is validated (and coerced) unless ``validated``."""
        _check_day(today)
        facts = facts if validated else validate_profile(facts)
        return evaluate_rule(
            rule, self.book.policies.get(rule.policy_id or ""), self.info(rule.policy_id or ""), facts, today
        )

    def run(self, policy_ids: list[str], facts: dict[str, Any], today: dt.date) -> Evaluation:
        """Every rule of the given policies, and the best total under 就高不重复."""
        _check_day(today)
        facts = validate_profile(facts)
        awards: list[Award] = []
        warnings: list[Note] = []
        for pid in policy_ids:
            pr = self.book.policies.get(pid)
            if pr is None:
                warnings.append(Reason(code="no_rules", data={"policy_id": pid}))
                continue
            info = self.info(pid)
            awards += [evaluate_rule(rule, pr, info, facts, today) for rule in pr.rules]
            warnings += info.warnings_on(today)[1]
        best, cond_total, breakdown, stack_warnings = best_total(
            awards, [self.book.policies[p] for p in policy_ids if p in self.book.policies]
        )
        warnings += stack_warnings
        unique: list[Note] = []
        for w in warnings:
            if w not in unique:
                unique.append(w)
        return Evaluation.model_construct(
            policies=list(policy_ids),
            date=today.isoformat(),
            awards=awards,
            best_total_yuan=best,
            conditional_total_yuan=cond_total,
            total_breakdown=breakdown,
            warning_items=unique,
        )


def _check_day(today: Any) -> None:
    if not isinstance(today, dt.date):
        raise TypeError(f"today must be a date, got {today!r}")


# --- compatibility: the module-level calls of earlier versions ------------------------------------


def _engine_for(book: RuleBook | None, policies: Mapping[str, PolicyInfo] | Iterable[Any] | None) -> Engine:
    if book is not None and policies is not None:
        return Engine(book, policies)
    from .defaults import default_book, default_policies  # settings and corpus, read outside the engine

    return Engine(book or default_book(), default_policies() if policies is None else policies)


def evaluate(
    rule: Rule,
    facts: dict[str, Any],
    today: dt.date | None = None,
    book: RuleBook | None = None,
    validated: bool = False,
    policies: Mapping[str, PolicyInfo] | Iterable[Any] | None = None,
) -> Award:
    """One rule (compatibility wrapper of ``Engine.evaluate``; defaults come from the settings and corpus)."""
    from .defaults import default_today

    return _engine_for(book, policies).evaluate(rule, facts, today or default_today(), validated)


def evaluate_policies(
    policy_ids: list[str],
    facts: dict[str, Any],
    today: dt.date | None = None,
    book: RuleBook | None = None,
    policies: Mapping[str, PolicyInfo] | Iterable[Any] | None = None,
) -> Evaluation:
    """Compatibility wrapper of ``Engine.run``; defaults come from the settings and corpus (rules/defaults.py)."""
    from .defaults import default_today

    return _engine_for(book, policies).run(policy_ids, facts, today or default_today())


# --- the total ------------------------------------------------------------------------------------


def best_total(
    awards: list[Award], policies: list[PolicyRules]
) -> tuple[Decimal | None, Decimal | None, list[BreakdownItem], list[Reason]]:
    """Best total of eligible awards with figures, at most one per 就高不重复 group (exact search)."""
    groups: list[tuple[set[str], str | None]] = []
    warnings: list[Reason] = []
    by_policy = {p.policy_id: p for p in policies}
    for pr in policies:
        for st in pr.stacking:
            if st.scope == "across_policies" and st.rules == "all":
                if len(by_policy) > 1:
                    warnings.append(
                        Reason(
                            code="stacking_across",
                            wording=st.message,
                            data={"quote": st.quote, "policy_id": pr.policy_id, "clause_id": st.clause_id},
                        )
                    )
                continue
            members = {r.id for r in pr.rules} if st.rules == "all" else set(st.rules)
            groups.append((members, st.message or st.quote))

    def amount(a: Award) -> Decimal:
        assert a.amount_yuan is not None  # pick() is given countable awards only, each with an amount
        return a.amount_yuan

    def pick(pool: list[Award]) -> tuple[Decimal, list[Award]]:
        pool = sorted(pool, key=amount, reverse=True)
        best: tuple[Decimal, list[Award]] = (Decimal(0), [])

        def conflicts(a: Award, chosen: list[Award]) -> bool:
            return any(a.rule_id in g and c.rule_id in g for g, _ in groups for c in chosen)

        def search(i: int, chosen: list[Award], total: Decimal) -> None:
            nonlocal best
            if total > best[0]:
                best = (total, list(chosen))
            if i == len(pool):
                return
            if total + sum(amount(a) for a in pool[i:]) <= best[0]:
                return
            a = pool[i]
            if not conflicts(a, chosen):
                chosen.append(a)
                search(i + 1, chosen, total + amount(a))
                chosen.pop()
            search(i + 1, chosen, total)

        search(0, [], Decimal(0))
        return best

    def countable(a: Award, statuses: tuple[str, ...]) -> bool:
        return (
            a.status in statuses and a.amount_yuan is not None and a.amount_yuan > 0 and a.policy_validity != "expired"
        )

    eligible = [a for a in awards if countable(a, ("eligible",))]
    total, chosen = pick(eligible)
    potential = [a for a in awards if countable(a, ("eligible", "conditional"))]
    ctotal, _ = pick(potential)
    chosen_ids = {a.rule_id for a in chosen}
    breakdown: list[BreakdownItem] = []
    for a in awards:
        if a.status == "ineligible":
            continue
        counted = a.rule_id in chosen_ids
        if counted:
            why = Reason(code="counted", data={"ceiling": a.is_ceiling, "per_year": a.per_year})
        elif a.policy_validity == "expired" and a.amount_yuan is not None:
            why = Reason(code="expired")
        elif a.status == "conditional":
            why = Reason(code="conditional")
        elif a.amount_yuan is None:
            why = Reason(code="no_amount", data={"discretionary": a.discretionary})
        else:
            other = next((c for c in chosen for g, _ in groups if a.rule_id in g and c.rule_id in g), None)
            msg = next((m for g, m in groups if other and a.rule_id in g and other.rule_id in g), None)
            why = (
                Reason(
                    code="stacked",
                    wording=msg or None,
                    data={"rule_id": other.rule_id, "title": other.title, "clause_id": other.clause_id},
                )
                if other
                else Reason(code="not_counted")
            )
        breakdown.append(
            BreakdownItem.model_construct(
                rule_id=a.rule_id,
                policy_id=a.policy_id,
                clause_id=a.clause_id,
                title=a.title,
                amount_yuan=a.amount_yuan,
                counted=counted,
                why=why,
            )
        )
    return (total if chosen else None), (ctotal if potential else None), breakdown, warnings


__all__ = [
    "ITEMS",
    "Engine",
    "PolicyInfo",
    "best_total",
    "evaluate",
    "evaluate_policies",
    "evaluate_rule",
    "policy_infos",
    "validate_profile",
]
