"""seed-demo: deterministic, valid, inside the demo regions, idempotent, with working logins."""

import hashlib
import re
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import RequestFactory

from naikkelas.accounts.models import User
from naikkelas.core.models import AuditLog
from naikkelas.core.validators import validate_nik
from naikkelas.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from naikkelas.demo.profiles import KBLI_TITLES
from naikkelas.demo.regions import REGIONS
from naikkelas.demo.seeding import ACTOR_LABEL
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.sizeclass import RULE_IDS
from naikkelas.kbli.models import Kbli

pytestmark = pytest.mark.django_db
SMALL = 300
FOOD_AND_TEXTILE = ("10", "13", "14")


@pytest.fixture(autouse=True)
def fast_hasher(settings) -> None:
    """PBKDF2 is slow on purpose; the tests only need a hasher that works."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def registry_digest() -> str:
    """A hash of everything generated (names, identifiers, places, figures, classes), not keys."""
    h = hashlib.sha256()
    fields = [f.attname for f in Enterprise._meta.concrete_fields
              if f.attname not in {"id", "created_at", "updated_at"}]
    for row in Enterprise.objects.order_by("id").values_list(*fields):
        h.update(repr(row).encode())
    report_fields = ["year", "workers_male", "workers_female", "investment",
                     "land_buildings_value", "working_capital", "sales", "capacity",
                     "capacity_unit", "production_value", "raw_material_value", "source"]
    for row in AnnualReport.objects.order_by("enterprise_id", "year").values_list(*report_fields):
        h.update(repr(row).encode())
    classes = (SizeClassification.objects.order_by("report__enterprise_id", "report__year", "rule")
               .values_list("rule", "kelas", "rank", "naik_kelas"))
    for row in classes:
        h.update(repr(row).encode())
    return h.hexdigest()


def test_same_seed_gives_the_same_registry():
    seed(count=SMALL, seed=7)
    first = registry_digest()
    seed(count=SMALL, seed=7, reset=True)
    assert registry_digest() == first
    assert Enterprise.objects.count() == SMALL
    seed(count=SMALL, seed=8, reset=True)
    assert registry_digest() != first


def test_every_enterprise_and_report_passes_model_validation():
    seed(count=SMALL)
    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()
        validate_nik(enterprise.owner_nik)
    # The database checked the reports' constraints on insert; here the field validators run.
    for report in AnnualReport.objects.select_related("enterprise"):
        report.full_clean(validate_unique=False, validate_constraints=False)


def test_nib_is_13_digits_unique_and_missing_for_informal_ones():
    seed(count=SMALL)
    nibs = list(Enterprise.objects.exclude(nib=None).values_list("nib", flat=True))
    assert all(re.fullmatch(r"\d{13}", nib) for nib in nibs)
    assert len(nibs) == len(set(nibs))
    assert 0.45 < len(nibs) / SMALL < 0.75


def test_nik_encodes_owner_gender_and_a_kecamatan_of_the_same_kabkota():
    seed(count=SMALL)
    for nik, gender, kecamatan in Enterprise.objects.values_list(
            "owner_nik", "owner_gender", "kecamatan_id"):
        assert (int(nik[6:8]) > 40) == (gender == "P")
        assert nik[:4] == kecamatan.replace(".", "")[:4]


def test_enterprises_lie_in_the_demo_regions():
    seed(count=SMALL)
    regions = {r.kode for r in REGIONS}
    rows = Enterprise.objects.values_list("kecamatan_id", "desa_id", "kecamatan__parent_id")
    for kecamatan, desa, kabkota in rows:
        assert kabkota in regions and kecamatan.startswith(f"{kabkota}.")
        assert desa is None or desa.startswith(f"{kecamatan}.")
    seen = {kabkota for _, _, kabkota in rows}
    assert {"16.07", "16.71", "63.71", "18.71"} <= seen
    assert len({k for k in seen if k.startswith("18.")}) >= 4


def test_figures_are_internally_consistent():
    seed(count=SMALL)
    reports = list(AnnualReport.objects.select_related("enterprise"))
    assert {r.year for r in reports} == {2022, 2023, 2024}
    for r in reports:
        assert r.workers_total >= 1
        assert 0 < r.raw_material_value < r.production_value
        assert 0.8 < r.sales / r.production_value < 1.1
        assert r.working_capital >= r.investment
        assert r.enterprise.founded_year <= r.year
    crafts = [r for r in reports if r.enterprise.kbli_id.startswith(FOOD_AND_TEXTILE)]
    assert sum(r.workers_female for r in crafts) > 1.5 * sum(r.workers_male for r in crafts)


def test_one_create_audit_row_per_enterprise_by_seed_demo():
    seed(count=SMALL)
    rows = AuditLog.objects.filter(actor_label=ACTOR_LABEL, object_type="enterprises.enterprise")
    assert rows.count() == SMALL
    by_id = {str(e.pk): e for e in Enterprise.objects.all()}
    for row in rows:
        enterprise = by_id[row.subject_id]
        assert row.action == AuditLog.Action.CREATE and row.actor is None
        assert row.kode_wilayah == enterprise.kode_wilayah
        assert row.after["name"] == enterprise.name


def test_rerun_writes_nothing_and_says_so():
    seed(count=SMALL)
    counts = (Enterprise.objects.count(), AnnualReport.objects.count(), AuditLog.objects.count())
    assert "already present" in seed(count=SMALL)
    assert (Enterprise.objects.count(), AnnualReport.objects.count(),
            AuditLog.objects.count()) == counts


def test_missing_kbli_codes_are_created_with_their_title():
    Kbli.objects.filter(kode__in=list(KBLI_TITLES)).delete()
    seed(count=SMALL)
    used = set(Enterprise.objects.values_list("kbli_id", flat=True))
    assert used <= set(Kbli.objects.values_list("kode", flat=True))
    assert Kbli.objects.get(kode="10750").judul == KBLI_TITLES["10750"]


def test_demo_password_passes_the_password_validators():
    seed(count=SMALL)
    for user in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]):
        validate_password(DEMO_PASSWORD, user)


def test_every_demo_user_has_its_role_and_can_log_in(client):
    seed(count=SMALL)
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert (user.role, user.kode_wilayah) == (login.role, login.kode_wilayah)
        assert client.login(request=RequestFactory().post("/"), username=login.username,
                            password=DEMO_PASSWORD)
        client.logout()
    assert not User.objects.get(username="pimpinan").can_view_personal_data


def test_demo_logins_prints_url_and_every_account():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text and DEMO_PASSWORD in text
    assert all(login.username in text for login in DEMO_LOGINS)


def test_default_run_writes_over_5000_enterprises_with_realistic_naik_kelas():
    seed()
    assert Enterprise.objects.count() >= 5000
    for rule in RULE_IDS:
        for year in (2023, 2024):
            classes = SizeClassification.objects.filter(rule=rule, report__year=year,
                                                        naik_kelas__isnull=False)
            share = classes.filter(naik_kelas=True).count() / classes.count()
            assert 0.04 <= share <= 0.12, (rule, year, share)
