"""Size classes as data: each official rule is a named, dated object with its thresholds.

Raw figures are stored; the class is computed under whichever rule a report asks for. `classify` is
pure: it takes figures and a rule and returns a class name (or None when a figure it needs is
missing). Amounts are whole rupiah; M (miliar) = 10^9.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

MILIAR = 1_000_000_000


@dataclass(frozen=True)
class Band:
    """A class for values up to and including `upper` (None: no upper bound)."""

    kelas: str
    upper: int | None


@dataclass(frozen=True)
class Figures:
    """The numbers of one annual report that the rules look at."""

    workers: int | None = None
    investment: int | None = None
    working_capital: int | None = None
    sales: int | None = None


@dataclass(frozen=True)
class SizeRule:
    """An official size rule: which figure it reads, its bands or thresholds, and where it comes from."""

    id: str
    name: str
    basis: str
    source: str
    valid_from: date
    valid_until: date | None
    classes: tuple[str, ...]
    bands: tuple[Band, ...] = ()
    thresholds: Mapping[str, int] = field(default_factory=dict)

    def rank(self, kelas: str) -> int:
        """Position of a class in this rule, smallest first (1-based)."""
        return self.classes.index(kelas) + 1

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


PERMENPERIN_64_2016 = SizeRule(
    id="permenperin-64-2016",
    name="Permenperin 64/2016 (tenaga kerja dan investasi)",
    basis="workers and investment excluding land and buildings",
    source="Peraturan Menteri Perindustrian No. 64/M-IND/PER/7/2016",
    valid_from=date(2016, 8, 1),
    valid_until=None,
    classes=("kecil", "menengah", "besar"),
    thresholds={"max_workers_small": 19, "investment_small_below": 1 * MILIAR,
                "investment_medium_max": 15 * MILIAR},
)
PP_7_2021_MODAL = SizeRule(
    id="pp-7-2021-modal",
    name="PP 7/2021 (modal usaha)",
    basis="working capital excluding land and buildings",
    source="Peraturan Pemerintah No. 7 Tahun 2021, Pasal 35 ayat (3)",
    valid_from=date(2021, 2, 2),
    valid_until=None,
    classes=("mikro", "kecil", "menengah", "besar"),
    bands=(Band("mikro", 1 * MILIAR), Band("kecil", 5 * MILIAR),
           Band("menengah", 10 * MILIAR), Band("besar", None)),
)
PP_7_2021_OMZET = SizeRule(
    id="pp-7-2021-omzet",
    name="PP 7/2021 (hasil penjualan tahunan)",
    basis="annual sales",
    source="Peraturan Pemerintah No. 7 Tahun 2021, Pasal 35 ayat (5)",
    valid_from=date(2021, 2, 2),
    valid_until=None,
    classes=("mikro", "kecil", "menengah", "besar"),
    bands=(Band("mikro", 2 * MILIAR), Band("kecil", 15 * MILIAR),
           Band("menengah", 50 * MILIAR), Band("besar", None)),
)
BPS_TENAGA_KERJA = SizeRule(
    id="bps-tenaga-kerja",
    name="BPS (jumlah tenaga kerja)",
    basis="workers including the owner",
    source="Badan Pusat Statistik, klasifikasi industri menurut tenaga kerja",
    valid_from=date(1990, 1, 1),
    valid_until=None,
    classes=("mikro", "kecil", "sedang", "besar"),
    bands=(Band("mikro", 4), Band("kecil", 19), Band("sedang", 99), Band("besar", None)),
)

RULES: dict[str, SizeRule] = {
    rule.id: rule for rule in (PERMENPERIN_64_2016, PP_7_2021_MODAL, PP_7_2021_OMZET, BPS_TENAGA_KERJA)
}
RULE_IDS: tuple[str, ...] = tuple(RULES)


def get_rule(rule_id: str) -> SizeRule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown size rule {rule_id!r}; known: {', '.join(RULE_IDS)}") from None


def _band(bands: tuple[Band, ...], value: int) -> str:
    for band in bands:
        if band.upper is None or value <= band.upper:
            return band.kelas
    raise AssertionError("the last band of a rule has no upper bound")


def _permenperin(rule: SizeRule, figures: Figures) -> str | None:
    if figures.workers is None or figures.investment is None:
        return None
    t = rule.thresholds
    if figures.workers <= t["max_workers_small"]:
        return "kecil" if figures.investment < t["investment_small_below"] else "menengah"
    return "menengah" if figures.investment <= t["investment_medium_max"] else "besar"


def classify(figures: Figures, rule: SizeRule) -> str | None:
    """The class of one year's figures under one rule; None when the figure it needs is missing."""
    if rule is PERMENPERIN_64_2016 or rule.thresholds:
        return _permenperin(rule, figures)
    if rule.basis.startswith("workers"):
        # BPS counts the owner: a report of zero paid workers is still a one-person business.
        value = None if figures.workers is None else max(figures.workers, 1)
    elif rule.basis.startswith("working capital"):
        value = figures.working_capital
    else:
        value = figures.sales
    return None if value is None else _band(rule.bands, value)


def moved_up(rule: SizeRule, before: str | None, after: str | None) -> bool | None:
    """Naik kelas: the class this year is higher than last year's; None when either is unknown."""
    if before is None or after is None:
        return None
    return rule.rank(after) > rule.rank(before)
