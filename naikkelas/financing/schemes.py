"""KUR scheme limits as data: each rule is named and dated, with its source.

Permenko Perekonomian 1/2022 (as amended; latest 12/2025) sets, per scheme, the ceiling (plafon)
and the interest rate; since 2023 the rate of mikro and kecil KUR rises with the borrower's
number of earlier KUR loans (6%, 7%, 8%, 9% for the 1st to 4th). Amounts are whole rupiah.
`non_kur` credit has no limits here. Replace or add rules as the regulation changes.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

JUTA = 1_000_000


@dataclass(frozen=True)
class SchemeLimit:
    """One scheme under one rule: plafon above `above` up to `up_to`; the highest rate for the
    1st, 2nd, 3rd and 4th-or-later loan (one value: the same for every loan)."""

    above: int
    up_to: int
    rates: tuple[Decimal, ...]

    def max_rate(self, sequence: int) -> Decimal:
        return self.rates[min(max(sequence, 1), len(self.rates)) - 1]


@dataclass(frozen=True)
class KurRule:
    id: str
    source: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    schemes: dict[str, SchemeLimit]

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def _rates(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


KUR_2022 = KurRule(
    id="permenko-1-2022",
    source="Permenko Perekonomian No. 1 Tahun 2022 (KUR 2022: 6% mikro/kecil, 3% super mikro)",
    valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2022, 12, 31),
    schemes={"super_mikro": SchemeLimit(0, 10 * JUTA, _rates("3")),
             "mikro": SchemeLimit(10 * JUTA, 100 * JUTA, _rates("6")),
             "kecil": SchemeLimit(100 * JUTA, 500 * JUTA, _rates("6")),
             "khusus": SchemeLimit(0, 500 * JUTA, _rates("6"))})
KUR_2023 = KurRule(
    id="permenko-1-2022-perubahan-2023",
    source="Permenko Perekonomian No. 1 Tahun 2022 as amended (1/2023 … 12/2025): rates by "
           "the number of earlier KUR loans",
    valid_from=datetime.date(2023, 1, 1), valid_until=None,
    schemes={"super_mikro": SchemeLimit(0, 10 * JUTA, _rates("3")),
             "mikro": SchemeLimit(10 * JUTA, 100 * JUTA, _rates("6", "7", "8", "9")),
             "kecil": SchemeLimit(100 * JUTA, 500 * JUTA, _rates("6", "7", "8", "9")),
             "khusus": SchemeLimit(0, 500 * JUTA, _rates("6"))})
RULES: tuple[KurRule, ...] = (KUR_2022, KUR_2023)


def rule_on(day: datetime.date) -> KurRule | None:
    """The KUR rule in force on the akad date; None before the first rule recorded here."""
    return next((rule for rule in RULES if rule.in_force(day)), None)
