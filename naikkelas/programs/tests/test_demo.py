"""The demo programs: deterministic, valid, in the seed regions, removed with the demo."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from naikkelas.certifications.models import Certificate
from naikkelas.core.scope import kode_within
from naikkelas.core.testing import built_once
from naikkelas.programs.models import (
    AidDelivery, AidItem, KubGroup, Participation, Program, ProgramType, Prospect,
)
from naikkelas.programs.querysets import earlier_aid

pytestmark = pytest.mark.django_db


def seed(*args) -> None:
    call_command("seed_demo", "--count", "700", *args, stdout=StringIO())


def snapshot() -> list:
    return [list(Program.objects.order_by("name").values_list("name", "kode_wilayah", "pagu")),
            sorted(Participation.objects.values_list("program__name", "enterprise__name",
                                                     "prospect__nik", "status")),
            sorted(AidItem.objects.values_list("delivery__bast_number", "name", "quantity"))]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module (MD5 hashing: the demo users' password hash is slow)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=hashers), built_once(django_db_blocker, seed):
        yield


def test_demo_programs_in_the_seed_regions_and_valid(demo):
    assert set(Program.objects.values_list("kode_wilayah", flat=True)) == {
        "16.07", "16.71", "63.71", "18", ""}
    for model in (Program, Prospect, KubGroup, AidDelivery):
        for record in model.objects.all():
            record.full_clean()
    types = set(Program.objects.values_list("program_type", flat=True))
    assert {ProgramType.BIMTEK, ProgramType.WUB, ProgramType.EQUIPMENT} <= types
    items = set(AidItem.objects.values_list("name", flat=True))
    assert {"Mesin jahit portable", "Oven gas 3 rak", "Mesin las listrik 900 watt"} <= items
    assert AidDelivery.objects.filter(kub_group__isnull=False).count() == 4


def test_pusat_round_records_the_reason_for_repeated_aid(demo):
    pusat = Program.objects.get(kode_wilayah="")
    repeated = [d for d in pusat.deliveries.all()
                if earlier_aid(d.enterprise, pusat.program_type, d.bast_date)
                .exclude(pk=d.pk).exists()]
    assert repeated and all(d.override_reason for d in repeated)


def test_certificates_are_credited_to_the_region_certification_program(demo):
    linked = list(Certificate.objects.exclude(program=None).select_related("program",
                                                                          "enterprise"))
    assert {c.program.kode_wilayah for c in linked} == {"16.07", "16.71", "63.71", "18"}
    for certificate in linked:
        assert certificate.program.program_type == ProgramType.CERTIFICATION
        assert kode_within(certificate.enterprise.kode_wilayah, certificate.program.kode_wilayah)
        assert certificate.facilitated_by == ""
        certificate.full_clean()


def test_same_seed_same_programs_and_reset_removes_them(demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    first = snapshot()
    seed("--reset")
    assert snapshot() == first
    assert Program.objects.count() == 17
