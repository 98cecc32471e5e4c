"""Metamorphic readings generated from the lexicon (see metamorphic.py): every numeric fact × surface forms ×
number formats × templates, and every yes/no statement × negation templates. A misbound case (another fact,
another value, or a negation read as yes) is a confident wrong answer: there must be none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import metamorphic as M


def _report(name: str, result: dict) -> str:
    counts = {k: len(v) for k, v in result.items()}
    worst = [f"{o.case.text} → {o.got}" for o in result["misbound"][:10]]
    return f"{name}: {counts}" + ("\n  " + "\n  ".join(worst) if worst else "")


@pytest.fixture(scope="module")
def figure_result():
    return M.run(M.figure_cases())


@pytest.fixture(scope="module")
def negation_result():
    return M.run(M.negation_cases())


def test_generated_sets_are_substantial():
    assert len(M.figure_cases()) > 1000 and len(M.negation_cases()) > 100


def test_figures_are_never_misbound(figure_result):
    print(_report("figures", figure_result))
    assert figure_result["misbound"] == [], _report("figures", figure_result)


def test_figures_are_read_right_nearly_always(figure_result):
    total = sum(len(v) for v in figure_result.values())
    assert len(figure_result["right"]) / total >= 0.98, _report("figures", figure_result)


def test_negations_are_never_read_as_yes(negation_result):
    print(_report("negations", negation_result))
    assert negation_result["misbound"] == [], _report("negations", negation_result)
    assert len(negation_result["right"]) == sum(len(v) for v in negation_result.values())
