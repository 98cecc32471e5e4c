"""Money amounts: every common way of writing one → exact Decimal yuan (or dollars, never converted)."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from assistant.textnorm import normalize

from .mentions import Mention, scan_numbers


class Money(BaseModel):
    value: Decimal  # in 元 (CNY) or 美元 (USD), exact
    currency: Literal["CNY", "USD"] = "CNY"
    approximate: bool = False  # 「3000多万」「约3000万」「2000到3000万」
    qualifier: str | None = None
    upper: Decimal | None = None
    text: str = ""

    @property
    def kind(self) -> str:
        """money_yuan / money_usd, the assistant.facts type this amount can fill."""
        return "money_usd" if self.currency == "USD" else "money_yuan"


def _to_money(m: Mention) -> Money:
    return Money(value=m.value, currency="USD" if m.unit == "USD" else "CNY", approximate=m.approximate,
                 qualifier=m.qualifier, upper=m.upper, text=m.text)


def is_amount(m: Mention) -> bool:
    """Money by its unit (元/美元), or a number with 万/亿 and no counter (「3000万」)."""
    return m.kind == "money" or (m.kind == "number" and m.has_multiplier)


def find_amounts(text: str) -> list[Money]:
    """Every money amount in ``text`` (normalised here), in order. 「粉丝300万」 is also returned as an
    amount-like number; only figures.py knows it is a count."""
    return [_to_money(m) for m in scan_numbers(normalize(text)) if is_amount(m)]


def parse_amount(text: str) -> Money | None:
    """One amount written alone (「3000万」「1.5亿元」「150万美元」「30,000,000元」); None if it is not one.
    A bare number without 元/万/亿 is read as yuan (the caller asked for an amount)."""
    mentions = scan_numbers(normalize(text))
    if len(mentions) != 1:
        return None
    m = mentions[0]
    if is_amount(m):
        return _to_money(m)
    if m.kind == "number":
        return _to_money(m)
    return None
