"""Demo sentra: deterministic, in the seed regions, Lampung's counts like seed 003, reset clean."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from naikkelas.demo.tests.test_seed_demo import SMALL, seed
from naikkelas.certifications.models import Certificate
from naikkelas.financing.models import LenderReport, Loan
from naikkelas.sentra.indicators import indicator_section
from naikkelas.sentra.models import Sentra, SentraMember, SentraSupport

pytestmark = pytest.mark.django_db


def sentra_digest() -> str:
    h = hashlib.sha256()
    for row in Sentra.objects.order_by("name", "kecamatan_id").values_list(
            "name", "komoditas", "kbli_id", "kecamatan_id", "desa_id", "status", "formed_on",
            "sk_number", "sk_date"):
        h.update(repr(row).encode())
    for row in SentraMember.objects.order_by("sentra__name", "enterprise__name").values_list(
            "sentra__name", "enterprise__name", "joined_on"):
        h.update(repr(row).encode())
    for row in SentraSupport.objects.order_by("sentra__name", "year").values_list(
            "sentra__name", "source", "year", "value"):
        h.update(repr(row).encode())
    for row in Certificate.objects.order_by("enterprise__name", "type", "number").values_list(
            "enterprise__name", "type", "number", "issued_on", "valid_until"):
        h.update(repr(row).encode())
    for row in Loan.objects.order_by("enterprise__name", "akad_date").values_list(
            "enterprise__name", "lender", "scheme", "plafon", "akad_date", "rate", "status"):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_same_seed_gives_the_same_sentra_and_reset_removes_their_files():
    seed(count=SMALL, seed=7)
    first = sentra_digest()
    documents = list(Sentra.objects.exclude(sk_document="").values_list("sk_document",
                                                                         flat=True))
    assert documents and all(default_storage.exists(name) for name in documents)
    seed(count=SMALL, seed=7, reset=True)
    assert sentra_digest() == first
    assert not any(default_storage.exists(name) for name in documents
                   if name not in set(Sentra.objects.values_list("sk_document", flat=True)))


def test_seed_regions_have_their_sentra_and_lampung_counts_like_seed_003():
    seed(count=SMALL)
    names = set(Sentra.objects.filter(kecamatan__kode__startswith="63.71.")
                .values_list("name", flat=True))
    assert {"Sentra Pengolahan Ikan Kuin", "Sentra Tanggui Kuin Cerucuk",
            "Sentra Kerajinan Kayu Alalak Tengah"} <= names
    assert len([n for n in names if "Sasirangan" in n]) == 3
    assert indicator_section("18", 2024) == {"sentra": {"terbentuk": 73, "ber_sk": 54}}
    assert set(Sentra.objects.filter(kecamatan__kode__startswith="16.07.")
               .values_list("status", flat=True)) == {"usulan", "terbentuk", "ditetapkan"}


def test_members_lie_in_the_sentra_kabkota_and_every_sentra_passes_validation():
    seed(count=SMALL)
    for member in SentraMember.objects.select_related("sentra", "enterprise"):
        assert member.enterprise.kecamatan_id.startswith(member.sentra.kabkota_kode + ".")
        member.full_clean()
    for sentra in Sentra.objects.all():
        sentra.full_clean()


def test_certificates_loans_and_the_seed_000_report_are_valid():
    seed(count=SMALL)
    assert Certificate.objects.expiring().exists()
    for certificate in Certificate.objects.all():
        certificate.full_clean()
    for loan in Loan.objects.all():
        loan.full_clean()  # within the KUR scheme limits of its akad date
    bank = LenderReport.objects.get(lender="Bank Sumsel Babel", kabkota_id="16.07")
    total = LenderReport.objects.get(all_lenders=True, kabkota_id="16.07")
    assert (bank.disbursed, total.disbursed) == (43_600_000_000, 450_000_000_000)
    seed(count=SMALL, reset=True)
    assert LenderReport.objects.count() == 2
