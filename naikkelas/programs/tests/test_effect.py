"""Did it help? Participants against a comparison group, checked on a hand-built example.

Program in Banyuasin, May 2023: before = 2022, after = 2024. Under bps-tenaga-kerja
(mikro 1-4, kecil 5-19, sedang 20-99 workers):

participants   P1 16.07.01 KBLI 10750  3 -> 6   mikro -> kecil  up   (direct)
               P2 16.07.02 KBLI 10794  4 -> 4   mikro -> mikro       (aid recipient)
               P3 16.07.01 KBLI 10710 10 -> 25  kecil -> sedang up   (via a KUB group)
comparison     C1 16.07.03 KBLI 10792  2 -> 2   mikro
               C2 16.07.01 KBLI 10761  3 -> 5   mikro -> kecil  up
               C3 16.07.01 KBLI 10750  7 -> 7   kecil
left out       X1 Palembang (other kab/kota), X2 KBLI 13121 (other division),
               X3 sedang in 2022 (no participant started there), X4 no 2022 figures,
               X5 deleted
"""

import pytest
from django.utils import timezone

from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.programs.models import ProgramType
from naikkelas.programs.querysets import participant_enterprises, program_effect
from naikkelas.programs.tests.factories import (
    make_delivery, make_kub, make_participation, make_program,
)

pytestmark = pytest.mark.django_db
BPS = "bps-tenaga-kerja"


def firm(kecamatan: str, kbli: str, before: int | None, after: int | None, **extra):
    enterprise = make_enterprise(kecamatan, kbli_id=kbli, **extra)
    for year, workers in ((2022, before), (2024, after)):
        if workers is not None:
            make_report(enterprise, year, workers_male=workers, workers_female=0)
    return enterprise


@pytest.fixture
def example(db):
    program = make_program("16.07", program_type=ProgramType.EQUIPMENT)
    p1 = firm("16.07.01", "10750", 3, 6)
    p2 = firm("16.07.02", "10794", 4, 4)
    p3 = firm("16.07.01", "10710", 10, 25)
    make_participation(program, p1)
    make_delivery(program, p2)
    make_participation(program, make_kub("16.07.01", members=[p3]))
    firm("16.07.03", "10792", 2, 2)
    firm("16.07.01", "10761", 3, 5)
    firm("16.07.01", "10750", 7, 7)
    firm("16.71.01", "10750", 3, 8)
    firm("16.07.01", "13121", 3, 8)
    firm("16.07.01", "10750", 25, 30)
    firm("16.07.01", "10750", None, 8)
    firm("16.07.01", "10750", 3, 9, deleted_at=timezone.now())
    return program, {p1.pk, p2.pk, p3.pk}


def test_participants_include_aid_recipients_and_kub_members(example):
    program, members = example
    assert set(participant_enterprises(program).values_list("pk", flat=True)) == members


def test_comparison_group_sizes_and_rates(example):
    program, _ = example
    effect = program_effect(program, BPS)
    assert (effect.before, effect.after) == (2022, 2024)
    assert effect.participants.size == 3
    assert (effect.participants.up[BPS], effect.participants.compared[BPS]) == (2, 3)
    assert effect.chosen.size == 3
    assert (effect.chosen.up[BPS], effect.chosen.compared[BPS]) == (1, 3)
    assert effect.participants.rate(BPS) == pytest.approx(2 / 3)


def test_median_figures_before_and_after(example):
    program, _ = example
    effect = program_effect(program, BPS)
    assert effect.participants.medians[("workers", 2022)] == 4
    assert effect.participants.medians[("workers", 2024)] == 6
    assert effect.chosen.medians[("workers", 2022)] == 3
    assert effect.chosen.medians[("workers", 2024)] == 5


def test_effect_takes_four_queries(example, django_assert_max_num_queries):
    program, _ = example
    with django_assert_max_num_queries(4):
        program_effect(program, BPS)


def test_program_without_participants(db):
    effect = program_effect(make_program(), BPS)
    assert effect.participants.size == 0 and effect.chosen.size == 0
    assert effect.participants.rate(BPS) is None
