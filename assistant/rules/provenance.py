"""Provenance check: every rule's quote is verbatim in its clause, and every figure of the rule is in its quote.

Also: clause ids exist in the corpus, and every clause of a policy has a coverage entry.
``check_rulebook`` returns the problems (empty = pass); `policy-qa rules --check` prints them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..facts import FACTS, LEVELS
from ..textnorm import normalize
from .figures import Figure, dates_in, figures_in, years_in
from .loader import RuleBook
from .schema import PolicyRules, Rule, rank_in


def squash(text: str) -> str:
    """Whitespace-free normalised text: PDF line breaks and spaces do not matter when comparing quotes."""
    return re.sub(r"\s+", "", normalize(text))


# Chinese words a level must appear as in the quote.
_LEVEL_WORDS = {"national": ("国家",), "provincial": ("省",), "city": ("市",), "county": ("县", "区")}


def rule_figures(rule: Rule) -> Iterator[tuple[Figure, str]]:
    """(figure as written, where) for every figure the rule states — conditions, tiers, award and caps."""
    for c in rule.compares():
        if c.figure is not None and not c.implied:
            yield c.figure, f"condition {c.fact}"
    yield from award_figures(rule.award, "award")


def award_figures(a: Any, at: str) -> Iterator[tuple[Figure, str]]:
    """(figure, where) for every figure an award states; ``at`` prefixes the location (award / award.each)."""
    return a.figures(at)


def figure_stated(fig: Figure, stated: list[Figure]) -> bool:
    """The same value with the same unit (a unitless figure in the quote matches any unit: 「粉丝数达到100万」)."""
    return any(s.value == fig.value and (s.unit == fig.unit or not s.unit or not fig.unit) for s in stated)


def check_rule(rule: Rule, clause_text: str | None, file: str) -> list[str]:
    where = f"{file}: rule {rule.id}"
    if clause_text is None:
        return [f"{where}: clause_id {rule.clause_id!r} is not a clause of {rule.policy_id} in the corpus"]
    problems: list[str] = []
    clause = squash(clause_text)
    quote = squash(rule.reference)
    if not quote:
        problems.append(f"{where}: empty reference")
    elif quote not in clause:
        problems.append(f"{where}: reference not found verbatim in clause {rule.clause_id}: 「{rule.reference[:60]}…」")
    stated = figures_in(rule.reference)
    for fig, loc in rule_figures(rule):
        if not figure_stated(fig, stated):
            problems.append(f"{where}: {loc} figure 「{fig.text}」 is not stated in the reference quote")
    for c in rule.compares():
        fact = FACTS[c.fact]
        if fact.type == "date" and not c.implied and c.parsed not in dates_in(rule.reference):
            problems.append(f"{where}: condition {c.fact} date {c.parsed} is not stated in the reference quote")
        if fact.type == "level" and not c.implied:
            vals = c.parsed if isinstance(c.parsed, list) else [c.parsed]
            for v in vals:
                if not any(w in rule.reference for w in _LEVEL_WORDS[v]):
                    problems.append(
                        f"{where}: condition {c.fact} level {LEVELS[v]} is not stated in the reference quote"
                    )
    a = rule.award
    for value, loc in a.level_values():
        vals = value if isinstance(value, list) else [value]
        for v in vals:
            if not any(w in rule.reference for w in _LEVEL_WORDS[v]):
                problems.append(f"{where}: {loc} level {LEVELS[v]} is not stated in the reference quote")
    per_year = getattr(a, "per_year", None)
    if per_year is not None:
        yrs = set(years_in(rule.reference))
        for y in per_year.years:
            if y not in yrs:
                problems.append(f"{where}: award.per_year year {y} is not stated in the reference quote")
    # Words quoted from the clause must be in it.
    words: list[tuple[str, str]] = [(c.wording, f"condition {c.fact} wording") for c in rule.compares() if c.wording]
    words += [(r.wording, "requirement") for r in rule.all_requirements()]
    for r in rule.all_requirements():
        if r.kind == "rank" and r.max_rank is not None and rank_in(r.wording) != r.max_rank:
            problems.append(f"{where}: requirement rank {r.max_rank} is not stated in its wording 「{r.wording}」")
    words += list(a.quoted_words())
    for w, loc in words:
        if squash(w) not in clause:
            problems.append(f"{where}: {loc} 「{w}」 not found verbatim in clause {rule.clause_id}")
    return problems


def _policy_sections(pr: PolicyRules) -> Iterator[tuple[str, str, str, list[Figure]]]:
    """(label, clause_id, quote, figures that must be in the quote) for each policy-level section."""
    for st in pr.stacking:
        yield f"stacking {st.id}", st.clause_id, st.quote, []
    if pr.payment:
        yield "payment", pr.payment.clause_id, pr.payment.quote, [i.share for i in pr.payment.instalments]
    for f in pr.funds:
        yield f"funds ({f.kind})", f.clause_id, f.quote, [f.amount] if f.amount is not None else []
    for cc in pr.contribution_caps:
        yield "contribution_caps", cc.clause_id, cc.quote, [cc.share]
    for n in pr.notes:
        yield "notes", n.clause_id, n.quote, []


def _not_a_clause(clause_id: str, policy_id: str, clause_texts: dict[str, str]) -> str:
    """「'（八十）' is not a clause of P (did you mean …?)」 with the ids to choose from."""
    # compared half-width: 「(八)」 typed for 「（八）」 is the commonest slip
    by_key = {unicodedata.normalize("NFKC", cid): cid for cid in clause_texts}
    close = [
        by_key[k]
        for k in difflib.get_close_matches(unicodedata.normalize("NFKC", clause_id), list(by_key), n=3, cutoff=0.5)
    ]
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return (
        f"clause_id {clause_id!r} is not a clause of {policy_id} ({hint}its clauses: "
        f"{', '.join(clause_texts)}; `policy-qa clauses {policy_id}` shows their text)"
    )


def _coverage_agrees(pr: PolicyRules, clause_texts: dict[str, str], file: str) -> list[str]:
    """Coverage and rules agree: encoded clauses have rules, cited clauses are encoded, every clause is listed once."""
    problems = []
    status = {c.clause_id: c.status for c in pr.coverage}
    with_rules = {r.clause_id for r in pr.rules}
    for c in pr.coverage:
        if c.clause_id not in clause_texts:
            problems.append(f"{file}: coverage: {_not_a_clause(c.clause_id, pr.policy_id, clause_texts)}")
        elif c.status == "encoded" and c.clause_id not in with_rules:
            problems.append(f"{file}: coverage says clause {c.clause_id} is encoded but no rule cites it")
    if pr.coverage:
        for r in pr.rules:
            s = status.get(r.clause_id)
            if r.clause_id in clause_texts and s is not None and s != "encoded":
                problems.append(
                    f"{file}: rule {r.id}: cites clause {r.clause_id} whose coverage status is {s!r}, not 'encoded'"
                )
    for cid in clause_texts:
        if cid not in status:
            problems.append(f"{file}: coverage gap: clause {cid} of {pr.policy_id} has no coverage entry")
    return problems


def check_policy(pr: PolicyRules, clause_texts: dict[str, str] | None, file: str) -> list[str]:
    if clause_texts is None:
        return [
            f"{file}: policy {pr.policy_id!r} is not in the corpus (corpus/{pr.policy_id}.yaml and .txt; "
            "`policy-qa import` writes them)"
        ]
    problems: list[str] = []
    for r in pr.rules:
        if r.clause_id not in clause_texts:
            problems.append(f"{file}: rule {r.id}: {_not_a_clause(r.clause_id, pr.policy_id, clause_texts)}")
            continue
        problems.extend(check_rule(r, clause_texts[r.clause_id], file))
    for label, clause_id, quote, figs in _policy_sections(pr):
        text = clause_texts.get(clause_id)
        if text is None:
            problems.append(f"{file}: {label}: {_not_a_clause(clause_id, pr.policy_id, clause_texts)}")
            continue
        if squash(quote) not in squash(text):
            problems.append(f"{file}: {label}: quote not found verbatim in clause {clause_id}: 「{quote[:60]}」")
        stated = figures_in(quote)
        for fig in figs:
            if not figure_stated(fig, stated):
                problems.append(f"{file}: {label}: figure 「{fig.text}」 is not stated in its quote")
    problems.extend(_coverage_agrees(pr, clause_texts, file))
    return problems


def corpus_clause_texts(policy_id: str) -> dict[str, str] | None:
    """clause_id → text from the corpus, in document order; None when the policy is not in the corpus."""
    from .. import corpus

    try:
        return {c.clause_id: c.text for c in corpus.clauses_of(policy_id)}
    except corpus.PolicyNotFound:
        return None


def corpus_policy_ids() -> list[str]:
    from .. import corpus

    return [m.id for m in corpus.load_policies()]


def check_rulebook(
    book: RuleBook,
    clause_texts: Callable[[str], dict[str, str] | None] = corpus_clause_texts,
    policy_ids: Iterable[str] | None = None,
) -> list[str]:
    """Every rule file's problems, and every corpus policy (``policy_ids``, default: the corpus) without a rule file."""
    problems: list[str] = []
    for pid, pr in sorted(book.policies.items()):
        problems.extend(check_policy(pr, clause_texts(pid), str(book.files.get(pid, pid))))
    wanted = corpus_policy_ids() if policy_ids is None else list(policy_ids)
    where = book.directory or "rules"
    for pid in sorted(set(wanted) - set(book.policies)):
        problems.append(
            f"{where}/{pid}.yaml: missing: corpus policy {pid} has no rule file; write one with a coverage "
            f"entry for every clause (rules/README.md shows how) — a policy that pays nothing still lists "
            "its clauses as non_monetary"
        )
    return problems


def _unused(_: Any) -> None:  # pragma: no cover - keeps linters quiet about re-exported helpers
    return None
