"""Demo certificates, loans and lenders' reports, from the demo batch (see demo/sentra.py).

Deterministic for a given seed and day: a share of the P-IRT certificates is dated so that it
expires within the next 90 days of the day the demo is written, so the expiring list is never
empty. Certificates and loans go with their enterprises on reset; the lender reports carry a
seed-demo 'create' row by which the reset finds them.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.certifications.models import Certificate
from naikkelas.demo.generator import DemoEnterprise
from naikkelas.enterprises.models import Enterprise
from naikkelas.financing.models import LenderReport, Loan
from naikkelas.financing.schemes import JUTA

REPORT_TYPE = LenderReport._meta.label_lower
MILIAR = 1000 * JUTA
LENDERS = {"16": ("Bank Sumsel Babel", "BRI", "BSI"), "63": ("Bank Kalsel", "BRI", "BNI"),
           "18": ("Bank Lampung", "BRI", "Bank Mandiri")}
SCHEMES = (("super_mikro", 5, 10), ("mikro", 11, 100), ("mikro", 25, 75), ("kecil", 150, 500))


def seed_certificates_and_loans(batch: list[DemoEnterprise], *, seed: int,
                                actor_label: str) -> None:
    rng = random.Random(seed + 1)
    today = timezone.localdate()
    certificates, loans = [], []
    for item in batch:
        certificates += _certificates(item.enterprise, rng, today)
        if rng.random() < 0.12:
            loans.append(_loan(item.enterprise, rng))
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    Loan.objects.bulk_create(loans, batch_size=2000)
    reports = LenderReport.objects.bulk_create(seed_000_reports())
    AuditLog.objects.bulk_create([_created_row(r, actor_label) for r in reports])


def _certificates(enterprise: Enterprise, rng: random.Random,
                  today: datetime.date) -> list[Certificate]:
    rows = []
    since = max(enterprise.founded_year or 2018, 2018)
    if enterprise.nib:
        rows.append(Certificate(enterprise=enterprise, type="nib", number=enterprise.nib,
                                issued_on=datetime.date(since, rng.randint(1, 12), 1)))
    food = (enterprise.kbli_id or "").startswith("10")
    if food and rng.random() < 0.25:
        rows.append(_pirt(enterprise, rng, today))
    if food and rng.random() < 0.15:
        rows.append(Certificate(
            enterprise=enterprise, type="halal", issued_on=_day(rng, 2021, 2024),
            number=f"ID{enterprise.kecamatan_id[:2]}{rng.randrange(10**14, 10**15)}",
            facilitated_by=_program(rng, "Sertifikasi halal gratis (SEHATI)")))
    if rng.random() < 0.05:
        rows.append(Certificate(enterprise=enterprise, type="hki", issued_on=_day(rng, 2019,
                                                                                  2024),
                                number=f"IDM000{rng.randrange(100000, 999999)}",
                                facilitated_by=_program(rng, "Fasilitasi HKI merek")))
    return rows


def _pirt(enterprise: Enterprise, rng: random.Random, today: datetime.date) -> Certificate:
    """15 digits ending in the expiry year, valid five years; one in ten expires soon."""
    if rng.random() < 0.1:
        until = today + datetime.timedelta(days=rng.randint(3, 88))
        issued = until.replace(year=until.year - 5) if not (until.month == 2 and until.day == 29) \
            else until.replace(year=until.year - 5, day=28)
    else:
        issued = _day(rng, 2020, 2024)
        until = issued.replace(year=issued.year + 5, day=min(issued.day, 28))
    number = f"{rng.randrange(10**12, 10**13)}{until.year % 100:02d}"
    return Certificate(enterprise=enterprise, type="pirt", number=number, issued_on=issued,
                       valid_until=until, facilitated_by=_program(rng, "Fasilitasi SPP-IRT"))


def _loan(enterprise: Enterprise, rng: random.Random) -> Loan:
    """A KUR loan within the limits of its akad date (see financing.schemes)."""
    scheme, low, high = SCHEMES[rng.choices(range(4), weights=(20, 45, 25, 10))[0]]
    akad = _day(rng, 2022, 2024)
    sequence = rng.choice((1, 1, 1, 2, 2, 3))
    rate = Decimal(3 if scheme == "super_mikro" else 6 if akad.year == 2022 else 5 + sequence)
    lenders = LENDERS.get(enterprise.kecamatan_id[:2], ("BRI", "BNI", "Bank Mandiri"))
    return Loan(enterprise=enterprise, lender=rng.choice(lenders), scheme=scheme,
                plafon=rng.randint(low, high) * JUTA, akad_date=akad,
                tenor_months=rng.choice((12, 24, 36, 48)), rate=rate, kur_sequence=sequence,
                contract_number=f"KUR/{akad.year}/{rng.randrange(10**6, 10**7)}",
                status=rng.choices(("berjalan", "lunas", "macet"), weights=(70, 25, 5))[0])


def seed_000_reports() -> list[LenderReport]:
    """Seed 000: KUR in Banyuasin to August 2022, Rp43.6 miliar via Bank Sumsel Babel of
    Rp450 miliar from all lenders."""
    common = {"kabkota_id": "16.07", "period_start": datetime.date(2022, 1, 1),
              "period_end": datetime.date(2022, 8, 31),
              "source": "Seed 000: pemberitaan Pemkab Banyuasin, Agustus 2022"}
    return [LenderReport(lender="Bank Sumsel Babel", disbursed=43_600 * JUTA, **common),
            LenderReport(lender="Semua penyalur KUR", all_lenders=True, disbursed=450 * MILIAR,
                         **common)]


def _day(rng: random.Random, first: int, last: int) -> datetime.date:
    return datetime.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


def _program(rng: random.Random, name: str) -> str:
    return f"{name} {rng.randint(2021, 2024)}" if rng.random() < 0.4 else ""


def _created_row(report: LenderReport, actor_label: str) -> AuditLog:
    return AuditLog(actor=None, actor_label=actor_label, action=AuditLog.Action.CREATE,
                    object_type=REPORT_TYPE, object_id=str(report.pk), object_repr=str(report),
                    subject_type=REPORT_TYPE, subject_id=str(report.pk),
                    kode_wilayah=report.kode_wilayah, after=audit.snapshot(report))


def delete_demo_reports(actor_label: str) -> None:
    ids = AuditLog.objects.filter(actor_label=actor_label, action=AuditLog.Action.CREATE,
                                  object_type=REPORT_TYPE).values_list("object_id", flat=True)
    LenderReport.objects.filter(pk__in=[int(pk) for pk in ids]).delete()
