"""Writing and removing the demo registry: one transaction, bulk inserts, an audit row each.

Demo enterprises are recognised by their 'create' audit row written by `ACTOR_LABEL`, so Riwayat
shows "dibuat oleh seed-demo" and a reset removes exactly what the demo wrote.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.db import chunks
from naikkelas.core.models import AuditLog
from naikkelas.demo.finance import delete_demo_reports, seed_certificates_and_loans
from naikkelas.demo.generator import YEARS, DemoEnterprise, DemoGenerator, Geography
from naikkelas.demo.logins import ensure_demo_users
from naikkelas.demo.programs import delete_demo_programs, seed_programs
from naikkelas.demo.profiles import KBLI_TITLES
from naikkelas.demo.regions import DEMO_DESA, REGIONS
from naikkelas.demo.sentra import delete_demo_sentra, seed_sentra
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.sizeclass import RULE_IDS
from naikkelas.kbli.models import Kbli
from naikkelas.wilayah.models import Level, Wilayah

ACTOR_LABEL = "seed-demo"
ENTERPRISE_TYPE = Enterprise._meta.label_lower
BATCH_SIZE = 2000
DELETE_CHUNK = 500


@dataclass
class SeedResult:
    """What one run wrote, for the command's summary."""

    batch: list[DemoEnterprise]
    users: list[User]
    kbli_created: int = 0
    desa_created: int = 0
    per_kabkota: Counter = field(default_factory=Counter)


def load_geography() -> Geography:
    """The kecamatan of the demo kab/kota as stored, and the demo desa whose kecamatan exists."""
    kecamatan: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = (Wilayah.objects.filter(level=Level.KECAMATAN, parent_id__in=[r.kode for r in REGIONS])
            .order_by("kode").values_list("parent_id", "kode", "nama"))
    for parent, kode, nama in rows:
        kecamatan[parent].append((kode, nama))
    known = {kode for group in kecamatan.values() for kode, _ in group}
    desa: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kode, nama in DEMO_DESA:
        parent = Wilayah.parent_kode(kode)
        if parent in known:
            desa[parent].append((kode, nama))
    return Geography(dict(kecamatan), dict(desa))


def demo_enterprise_ids() -> list[int]:
    """Primary keys of the enterprises the demo created."""
    ids = (AuditLog.objects.filter(actor_label=ACTOR_LABEL, action=AuditLog.Action.CREATE,
                                   object_type=ENTERPRISE_TYPE)
           .values_list("object_id", flat=True))
    return sorted(int(pk) for pk in ids)


@transaction.atomic
def delete_demo_data() -> int:
    """Remove the demo enterprises (with their reports and classes) and their audit rows."""
    delete_demo_sentra(ACTOR_LABEL)
    delete_demo_reports(ACTOR_LABEL)
    ids = demo_enterprise_ids()
    delete_demo_programs()
    for chunk in chunks(ids, DELETE_CHUNK):
        AuditLog.objects.filter(subject_type=ENTERPRISE_TYPE,
                                subject_id__in=[str(pk) for pk in chunk]).delete()
        Enterprise.objects.filter(pk__in=chunk).delete()
    AuditLog.objects.filter(actor_label=ACTOR_LABEL).delete()
    return len(ids)


@transaction.atomic
def seed_demo(*, count: int, seed: int) -> SeedResult:
    """Generate `count` enterprises from `seed` and write them, their figures and the demo users."""
    geography = load_geography()
    desa_created = ensure_desa(geography)
    taken = set(Enterprise.objects.exclude(nib=None).values_list("nib", flat=True))
    batch = DemoGenerator(geography, seed=seed, taken_nibs=taken).generate(count)
    kbli_created = ensure_kbli(item.enterprise.kbli_id for item in batch)
    write_batch(batch)
    seed_sentra(batch, geography, seed=seed, actor_label=ACTOR_LABEL)
    seed_certificates_and_loans(batch, seed=seed, actor_label=ACTOR_LABEL)
    seed_programs([item.enterprise.pk for item in batch], seed=seed)
    result = SeedResult(batch, ensure_demo_users(), kbli_created, desa_created)
    result.per_kabkota.update(item.region.kode for item in batch)
    return result


def ensure_kbli(codes: Iterable[str]) -> int:
    """Create the KBLI codes the demo uses that the database lacks; returns how many."""
    created = 0
    for kode in sorted(set(codes)):
        _, new = Kbli.objects.get_or_create(kode=kode, defaults={"judul": KBLI_TITLES[kode]})
        created += new
    return created


def ensure_desa(geography: Geography) -> int:
    """Create the demo desa/kelurahan (real Kemendagri codes and names) that are missing."""
    created = 0
    for parent, rows in sorted(geography.desa.items()):
        for kode, nama in rows:
            _, new = Wilayah.objects.get_or_create(
                kode=kode, defaults={"nama": nama, "level": Level.DESA, "parent_id": parent})
            created += new
    return created


def write_batch(batch: list[DemoEnterprise]) -> None:
    """Bulk-insert enterprises, reports, classifications and a 'create' audit row per enterprise."""
    enterprises = [item.enterprise for item in batch]
    Enterprise.objects.bulk_create(enterprises, batch_size=BATCH_SIZE)
    AnnualReport.objects.bulk_create(
        [r for item in batch for r in item.reports], batch_size=BATCH_SIZE)
    for item in batch:  # generated before the enterprise had its key
        for classification in item.classifications:
            classification.enterprise_id = item.enterprise.pk
    SizeClassification.objects.bulk_create(
        [c for item in batch for c in item.classifications], batch_size=BATCH_SIZE)
    AuditLog.objects.bulk_create([_created_row(e) for e in enterprises], batch_size=BATCH_SIZE)


def _created_row(enterprise: Enterprise) -> AuditLog:
    return AuditLog(
        actor=None, actor_label=ACTOR_LABEL, action=AuditLog.Action.CREATE,
        object_type=ENTERPRISE_TYPE, object_id=str(enterprise.pk),
        object_repr=str(enterprise)[:255], subject_type=ENTERPRISE_TYPE,
        subject_id=str(enterprise.pk), kode_wilayah=enterprise.kode_wilayah,
        after=audit.snapshot(enterprise),
    )


@dataclass
class Movement:
    """How many enterprises moved up or down a class, out of those classed in both years."""

    up: int = 0
    down: int = 0
    compared: int = 0


def class_movements(batch: list[DemoEnterprise]) -> dict[tuple[str, int], Movement]:
    """(rule, year) -> movement against the year before, for the summary and the tests."""
    result = {(rule, year): Movement() for rule in RULE_IDS for year in YEARS[1:]}
    for item in batch:
        ranks = {(c.rule, c.report.year): c.rank for c in item.classifications}
        for (rule, year), now in ranks.items():
            before = ranks.get((rule, year - 1))
            if before is not None:
                movement = result[(rule, year)]
                movement.compared += 1
                movement.up += now > before
                movement.down += now < before
    return result
