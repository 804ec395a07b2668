"""The four size rules at every threshold of DOMAIN.md, one table per rule (M = 10^9 rupiah)."""

from datetime import date

import pytest

from naikkelas.enterprises.sizeclass import (
    BPS_TENAGA_KERJA, MILIAR as M, PERMENPERIN_64_2016, PP_7_2021_MODAL, PP_7_2021_OMZET, RULE_IDS,
    RULES, Figures, classify, get_rule, moved_up,
)


@pytest.mark.parametrize(("workers", "investment", "kelas"), [
    # up to 19 workers: kecil below Rp 1 M, menengah from Rp 1 M on, never besar
    (19, M - 1, "kecil"),
    (19, M, "menengah"),
    (19, M + 1, "menengah"),
    (1, 0, "kecil"),
    (0, M - 1, "kecil"),
    (0, M, "menengah"),
    (19, 15 * M + 1, "menengah"),
    (19, 100 * M, "menengah"),
    # from 20 workers: menengah up to and including Rp 15 M, besar above
    (20, 0, "menengah"),
    (20, M - 1, "menengah"),
    (20, M, "menengah"),
    (20, 15 * M - 1, "menengah"),
    (20, 15 * M, "menengah"),
    (20, 15 * M + 1, "besar"),
    (500, 15 * M, "menengah"),
    (500, 15 * M + 1, "besar"),
])
def test_permenperin_64_2016(workers, investment, kelas):
    assert classify(Figures(workers=workers, investment=investment), PERMENPERIN_64_2016) == kelas


@pytest.mark.parametrize(("modal", "kelas"), [
    (0, "mikro"),
    (M - 1, "mikro"),
    (M, "mikro"),
    (M + 1, "kecil"),
    (5 * M, "kecil"),
    (5 * M + 1, "menengah"),
    (10 * M, "menengah"),
    (10 * M + 1, "besar"),
    (10**15, "besar"),
])
def test_pp_7_2021_modal(modal, kelas):
    assert classify(Figures(working_capital=modal), PP_7_2021_MODAL) == kelas


@pytest.mark.parametrize(("omzet", "kelas"), [
    (0, "mikro"),
    (M, "mikro"),
    (2 * M - 1, "mikro"),
    (2 * M, "mikro"),
    (2 * M + 1, "kecil"),
    (15 * M, "kecil"),
    (15 * M + 1, "menengah"),
    (50 * M, "menengah"),
    (50 * M + 1, "besar"),
])
def test_pp_7_2021_omzet(omzet, kelas):
    assert classify(Figures(sales=omzet), PP_7_2021_OMZET) == kelas


@pytest.mark.parametrize(("workers", "kelas"), [
    (0, "mikro"),  # the owner counts: a report without paid workers is a one-person business
    (1, "mikro"),
    (4, "mikro"),
    (5, "kecil"),
    (19, "kecil"),
    (20, "sedang"),
    (99, "sedang"),
    (100, "besar"),
    (10_000, "besar"),
])
def test_bps_tenaga_kerja(workers, kelas):
    assert classify(Figures(workers=workers), BPS_TENAGA_KERJA) == kelas


@pytest.mark.parametrize(("rule", "figures"), [
    (PERMENPERIN_64_2016, Figures()),
    (PERMENPERIN_64_2016, Figures(workers=5)),
    (PERMENPERIN_64_2016, Figures(investment=M)),
    (PP_7_2021_MODAL, Figures(workers=5, investment=M, sales=M)),
    (PP_7_2021_OMZET, Figures(workers=5, investment=M, working_capital=M)),
    (BPS_TENAGA_KERJA, Figures(investment=M, working_capital=M, sales=M)),
])
def test_missing_figure_gives_no_class(rule, figures):
    assert classify(figures, rule) is None


def test_each_rule_reads_only_its_own_figure():
    """Investment, modal and sales are different numbers: a rule must not read another's."""
    figures = Figures(workers=3, investment=20 * M, working_capital=M, sales=60 * M)
    assert classify(figures, PP_7_2021_MODAL) == "mikro"
    assert classify(figures, PP_7_2021_OMZET) == "besar"
    assert classify(figures, PERMENPERIN_64_2016) == "menengah"
    assert classify(figures, BPS_TENAGA_KERJA) == "mikro"


@pytest.mark.parametrize(("rule", "before", "after", "expected"), [
    (PP_7_2021_MODAL, "mikro", "kecil", True),
    (PP_7_2021_MODAL, "mikro", "besar", True),
    (PP_7_2021_MODAL, "kecil", "kecil", False),
    (PP_7_2021_MODAL, "menengah", "kecil", False),
    (PERMENPERIN_64_2016, "kecil", "menengah", True),
    (PERMENPERIN_64_2016, "besar", "menengah", False),
    (BPS_TENAGA_KERJA, "kecil", "sedang", True),
    (BPS_TENAGA_KERJA, "besar", "besar", False),
    (BPS_TENAGA_KERJA, None, "kecil", None),
    (BPS_TENAGA_KERJA, "kecil", None, None),
    (BPS_TENAGA_KERJA, None, None, None),
])
def test_moved_up(rule, before, after, expected):
    assert moved_up(rule, before, after) is expected


def test_moved_up_rejects_a_class_of_another_rule():
    with pytest.raises(ValueError):
        moved_up(PERMENPERIN_64_2016, "mikro", "kecil")


def test_the_four_rules_and_their_ids():
    assert RULE_IDS == ("permenperin-64-2016", "pp-7-2021-modal", "pp-7-2021-omzet",
                        "bps-tenaga-kerja")
    assert all(RULES[rule_id].id == rule_id for rule_id in RULE_IDS)
    assert get_rule("pp-7-2021-omzet") is PP_7_2021_OMZET


def test_unknown_rule_id_names_the_known_ones():
    with pytest.raises(KeyError, match="permenperin-64-2016"):
        get_rule("permenperin-2025")


@pytest.mark.parametrize("rule", RULES.values(), ids=RULE_IDS)
def test_rule_is_named_dated_and_sourced(rule):
    assert rule.name and rule.basis and rule.source
    assert isinstance(rule.valid_from, date)
    assert rule.valid_until is None or rule.valid_until > rule.valid_from
    assert rule.in_force(date(2024, 1, 1))
    assert not rule.in_force(date(1989, 12, 31))


@pytest.mark.parametrize("rule", RULES.values(), ids=RULE_IDS)
def test_classes_are_ordered_smallest_first(rule):
    assert len(set(rule.classes)) == len(rule.classes)
    assert [rule.rank(kelas) for kelas in rule.classes] == list(range(1, len(rule.classes) + 1))
    if rule.bands:
        assert [band.kelas for band in rule.bands] == list(rule.classes)
        uppers = [band.upper for band in rule.bands]
        assert uppers[-1] is None and uppers[:-1] == sorted(uppers[:-1])


@pytest.mark.parametrize("rule", [PP_7_2021_MODAL, PP_7_2021_OMZET], ids=RULE_IDS[1:3])
def test_pp_7_2021_is_in_force_from_its_enactment(rule):
    """PP 7/2021 was enacted and promulgated on 2 February 2021."""
    assert not rule.in_force(date(2021, 2, 1))
    assert rule.in_force(date(2021, 2, 2))
