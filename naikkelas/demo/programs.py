"""Demo programs: Bimtek, WUB, fasilitasi sertifikasi and equipment aid (seed 001: sewing machines, ovens, phone-repair kits,
welding sets, bamboo-craft tools) in Banyuasin, Palembang, Banjarmasin and Lampung, with
participants and recipients drawn from the demo enterprises, prospects and KUB groups.

Deterministic for a seed; bulk inserts, so seeding stays quick. Every demo program gets a 'create'
audit row by `seed-demo-program`, which is how `delete_demo_programs` finds them again.
"""

import datetime
import random
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from naikkelas.certifications.models import Certificate, CertificateType
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs.models import (
    AidDelivery, AidItem, AttendanceStatus, KubGroup, KubMember, Participation, Program,
    ProgramType, Prospect,
)
from naikkelas.sentra.models import SentraSupport

# Its own label: the registry's demo rows ("seed-demo") are one per enterprise.
ACTOR_LABEL = "seed-demo-program"
PROGRAM_TYPE = Program._meta.label_lower
FIRST_NAMES = ("Siti", "Nur", "Dewi", "Rina", "Ahmad", "Budi", "Agus", "Rahmat", "Yuni", "Eka",
               "Fitri", "Hendra", "Rudi", "Sri", "Wati", "Indra", "Maya", "Joko", "Lina", "Arif")
LAST_NAMES = ("Lestari", "Saputra", "Marlina", "Hidayat", "Rahmawati", "Setiawan", "Wahyuni",
              "Pratama", "Anggraini", "Kurniawan", "Handayani", "Syahputra")


@dataclass(frozen=True)
class Kit:
    """One kind of equipment aid: the item, its brand and unit value, how many per recipient."""

    name: str
    brand: str
    unit_value: int
    quantity: int


KITS = {
    "sewing": Kit("Mesin jahit portable", "Butterfly", 2_750_000, 2),
    "oven": Kit("Oven gas 3 rak", "Hock", 4_500_000, 1),
    "phone": Kit("Paket alat servis telepon seluler", "Sunshine", 1_800_000, 1),
    "welding": Kit("Mesin las listrik 900 watt", "Lakoni", 3_200_000, 1),
    "bamboo": Kit("Paket alat kerajinan bambu", "Tekiro", 1_500_000, 1),
}


@dataclass(frozen=True)
class DemoRegion:
    """Where the demo programs of one office run and what its aid round hands out."""

    label: str
    kode: str           # organiser wilayah
    level: str
    office: str
    kits: tuple[str, ...]


DEMO_REGIONS = (
    DemoRegion("Banyuasin", "16.07", "kabkota", "Dinas Perindustrian Kabupaten Banyuasin",
               ("sewing", "oven", "bamboo")),
    DemoRegion("Palembang", "16.71", "kabkota", "Dinas Perindustrian Kota Palembang",
               ("oven", "phone", "welding")),
    DemoRegion("Banjarmasin", "63.71", "kabkota", "Disperdagin Kota Banjarmasin",
               ("sewing", "bamboo", "welding")),
    DemoRegion("Lampung", "18", "provinsi", "Disperindag Provinsi Lampung",
               ("phone", "welding", "oven")),
)


def delete_demo_programs() -> int:
    """Remove the programs the demo wrote, with their participants, aid, prospects and groups."""
    ids = [int(pk) for pk in AuditLog.objects.filter(
        actor_label=ACTOR_LABEL, object_type=PROGRAM_TYPE).values_list("object_id", flat=True)]
    programs = Program.objects.filter(pk__in=ids)
    prospects = Prospect.objects.filter(participations__program__in=programs)
    groups = KubGroup.objects.filter(participations__program__in=programs)
    AidDelivery.objects.filter(program__in=programs).delete()
    _detach_facilitated(programs)
    Prospect.objects.filter(pk__in=list(prospects.values_list("pk", flat=True))).delete()
    KubGroup.objects.filter(pk__in=list(groups.values_list("pk", flat=True))).delete()
    programs.delete()
    AuditLog.objects.filter(actor_label=ACTOR_LABEL).delete()
    return len(ids)


def _detach_facilitated(programs) -> None:
    """Certificates and sentra support credited to demo programs keep the program's name as
    text (the link protects the program from deletion); demo certificates go with their
    enterprises anyway."""
    name = Program.objects.filter(pk=OuterRef("program_id")).values("name")[:1]
    for model in (Certificate, SentraSupport):
        model.objects.filter(program__in=programs).update(facilitated_by=Subquery(name),
                                                          program=None)


def seed_programs(enterprise_ids: list[int], *, seed: int) -> int:
    """Write the demo programs for the given demo enterprises; returns how many programs."""
    rng = random.Random(seed)
    pool = list(Enterprise.objects.filter(pk__in=enterprise_ids).order_by("pk")
                .values_list("pk", "kecamatan_id"))
    programs = []
    for region in DEMO_REGIONS:
        members = [(pk, kec) for pk, kec in pool if kec.startswith(f"{region.kode}.")]
        if len(members) < 40:
            continue
        programs += _region_programs(region, members, rng)
    programs += _pusat_round(pool, rng)
    AuditLog.objects.bulk_create([_created_row(p) for p in programs])
    return len(programs)


def _program(region: DemoRegion, name: str, kind: str, start: datetime.date, days: int,
             budget: str, pagu: int, **extra) -> Program:
    return Program.objects.create(
        name=name, program_type=kind, organiser_level=region.level, kode_wilayah=region.kode,
        organiser=region.office, budget_source=budget, pagu=pagu,
        realisasi=int(pagu * 0.94), start_date=start,
        end_date=start + datetime.timedelta(days=days), **extra)


def _region_programs(region: DemoRegion, members: list[tuple[int, str]],
                     rng: random.Random) -> list[Program]:
    chosen = rng.sample(members, 40)
    bimtek = _program(region, f"Bimtek Keamanan Pangan dan Kemasan {region.label} 2023",
                      ProgramType.BIMTEK, datetime.date(2023, 6, 12), 2, "apbd", 85_000_000,
                      place=f"Aula {region.office}", target_participants=25)
    _attend(bimtek, [pk for pk, _ in chosen[:25]], rng)
    wub = _program(region, f"Penumbuhan Wirausaha Baru (WUB) {region.label} 2024",
                   ProgramType.WUB, datetime.date(2024, 4, 22), 4, "dekonsentrasi",
                   120_000_000, place=f"Balai Diklat {region.label}", target_participants=20)
    prospects = _prospects(sorted({kec for _, kec in members}), 12, rng)
    Participation.objects.bulk_create([Participation(program=wub, prospect=p,
                                                     status=AttendanceStatus.COMPLETED,
                                                     days_present=5) for p in prospects])
    aid = _program(region, f"Bantuan Peralatan IKM {region.label} 2023",
                   ProgramType.EQUIPMENT, datetime.date(2023, 8, 1), 60, "dak", 150_000_000,
                   target_recipients=10)
    recipients = [pk for pk, _ in chosen[25:33]]
    group = _kub(region, chosen[33:38], prospects[:2])
    _deliver(aid, recipients, group, region, rng)
    return [bimtek, wub, aid, _certification(region, [pk for pk, _ in members])]


def _certification(region: DemoRegion, enterprise_ids: list[int]) -> Program:
    """A fasilitasi sertifikasi program credited with the region's demo halal and P-IRT
    certificates that name a facilitator (their text gives way to the program)."""
    program = _program(region, f"Fasilitasi Sertifikasi Halal dan SPP-IRT {region.label} 2023",
                       ProgramType.CERTIFICATION, datetime.date(2023, 3, 6), 200, "apbd",
                       60_000_000, place=f"Kantor {region.office}", target_participants=40)
    Certificate.objects.filter(
        enterprise_id__in=enterprise_ids, type__in=[CertificateType.HALAL, CertificateType.PIRT],
        program__isnull=True).exclude(facilitated_by="").update(program=program,
                                                                 facilitated_by="")
    return program


def _attend(program: Program, ids: list[int], rng: random.Random) -> None:
    rows = []
    for n, pk in enumerate(ids, start=1):
        status = rng.choices([AttendanceStatus.COMPLETED, AttendanceStatus.ATTENDED,
                              AttendanceStatus.ABSENT], weights=[8, 2, 1])[0]
        done = status == AttendanceStatus.COMPLETED
        rows.append(Participation(
            program=program, enterprise_id=pk, status=status,
            days_present={AttendanceStatus.ABSENT: 0}.get(status, rng.randint(2, 3)),
            certificate_number=f"{n:03d}/BIMTEK/{program.start_date.year}" if done else "",
            certificate_date=program.end_date if done else None))
    Participation.objects.bulk_create(rows)


def _nik(kecamatan: str, rng: random.Random, serial: int) -> str:
    """A well-formed NIK registered in `kecamatan` (women's birth day + 40)."""
    day = rng.randint(1, 28) + rng.choice((0, 40))
    return (f"{kecamatan.replace('.', '')}{day:02d}{rng.randint(1, 12):02d}"
            f"{rng.randint(75, 99):02d}{serial:04d}")


def _prospects(kecamatan: list[str], count: int, rng: random.Random) -> list[Prospect]:
    taken = set(Prospect.objects.values_list("nik", flat=True))
    prospects = []
    while len(prospects) < count:
        place = rng.choice(kecamatan)
        nik = _nik(place, rng, rng.randint(1, 9999))
        if nik in taken:
            continue
        taken.add(nik)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        prospects.append(Prospect(nik=nik, name=name, kecamatan_id=place,
                                  phone=f"0813{rng.randint(10_000_000, 99_999_999)}",
                                  business_idea=rng.choice(("kue basah", "keripik", "jahit",
                                                            "kerajinan bambu", "servis HP"))))
    return Prospect.objects.bulk_create(prospects)


def _kub(region: DemoRegion, enterprises: list[tuple[int, str]],
         prospects: list[Prospect]) -> KubGroup:
    group = KubGroup.objects.create(name=f"KUB Maju Bersama {region.label}",
                                    kecamatan_id=enterprises[0][1], chair=prospects[0].name)
    KubMember.objects.bulk_create(
        [KubMember(group=group, enterprise_id=pk) for pk, _ in enterprises]
        + [KubMember(group=group, prospect=p) for p in prospects])
    return group


def _deliver(program: Program, recipients: list[int], group: KubGroup, region: DemoRegion,
             rng: random.Random) -> None:
    kits = [KITS[k] for k in region.kits]
    deliveries = [(AidDelivery(program=program, enterprise_id=pk), rng.choice(kits))
                  for pk in recipients]
    deliveries.append((AidDelivery(program=program, kub_group=group), KITS[region.kits[-1]]))
    for n, (delivery, _kit) in enumerate(deliveries, start=1):
        delivery.sk_number = f"SK/{n:03d}/BANTUAN/{region.label.upper()}/2023"
        delivery.sk_date = datetime.date(2023, 9, 4)
        delivery.bast_number = f"BAST/{n:03d}/{region.label.upper()}/2023"
        delivery.bast_date = datetime.date(2023, 9, 18)
    AidDelivery.objects.bulk_create([d for d, _ in deliveries])
    AidItem.objects.bulk_create([
        AidItem(delivery=d, name=kit.name, brand=kit.brand, unit_value=kit.unit_value,
                quantity=kit.quantity * (3 if d.kub_group_id else 1),
                serial=f"{kit.brand[:3].upper()}-{d.pk:05d}") for d, kit in deliveries])


def _pusat_round(pool: list[tuple[int, str]], rng: random.Random) -> list[Program]:
    """A Ditjen IKMA (APBN) round in 2024: some Banyuasin recipients got aid in 2023 already, so
    their deliveries carry the reason the rule asks for."""
    earlier = list(AidDelivery.objects.filter(program__kode_wilayah="16.07",
                                              enterprise__isnull=False)
                   .values_list("enterprise_id", flat=True).order_by("enterprise_id"))
    if not earlier:
        return []
    pusat = DemoRegion("Pusat", "", "pusat", "Ditjen IKMA Kementerian Perindustrian", ("sewing",))
    program = _program(pusat, "Bantuan Mesin dan Peralatan IKM Ditjen IKMA 2024",
                       ProgramType.EQUIPMENT, datetime.date(2024, 5, 6), 90, "apbn",
                       400_000_000, target_recipients=6)
    fresh = [pk for pk, kec in pool if kec.startswith("16.07.") and pk not in set(earlier)]
    recipients = earlier[:2] + rng.sample(fresh, min(4, len(fresh)))
    kit = KITS["sewing"]
    deliveries = AidDelivery.objects.bulk_create([AidDelivery(
        program=program, enterprise_id=pk, sk_number=f"SK/{n:03d}/DJIKMA/2024",
        sk_date=datetime.date(2024, 6, 3), bast_number=f"BAST/{n:03d}/DJIKMA/2024",
        bast_date=datetime.date(2024, 7, 15),
        override_reason="Mesin bantuan 2023 untuk produksi lain; usaha berkembang"
        if pk in earlier else "") for n, pk in enumerate(recipients, start=1)])
    AidItem.objects.bulk_create([AidItem(delivery=d, name=kit.name, brand=kit.brand,
                                         unit_value=kit.unit_value, quantity=kit.quantity)
                                 for d in deliveries])
    return [program]


def _created_row(program: Program) -> AuditLog:
    return AuditLog(actor=None, actor_label=ACTOR_LABEL, action=AuditLog.Action.CREATE,
                    object_type=PROGRAM_TYPE, object_id=str(program.pk),
                    object_repr=str(program)[:255], subject_type=PROGRAM_TYPE,
                    subject_id=str(program.pk), kode_wilayah=program.kode_wilayah,
                    after=audit.snapshot(program))
