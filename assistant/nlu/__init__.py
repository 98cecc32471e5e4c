"""Question understanding: deterministic, offline parsing of Chinese policy questions.

Public entry point: ``parse(text, today=None, previous=None, pending=None) -> ParsedQuestion``.
"""

from .gazetteer import Place, PolicyCoverage, coverage, covering_policies, load_gazetteer, policies_below
from .parser import ParsedQuestion, parse

__all__ = [
    "ParsedQuestion",
    "Place",
    "PolicyCoverage",
    "coverage",
    "covering_policies",
    "load_gazetteer",
    "parse",
    "policies_below",
]
