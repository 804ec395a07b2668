"""Plain factory functions for the programs tests: records saved directly, without audit rows."""

import datetime
import itertools

from naikkelas.programs.models import (
    AidDelivery, AidItem, KubGroup, KubMember, OrganiserLevel, Participation, Program,
    ProgramType, Prospect,
)

_serial = itertools.count(1)
LEVEL_OF = {0: OrganiserLevel.PUSAT, 1: OrganiserLevel.PROVINSI, 2: OrganiserLevel.KABKOTA}


def make_program(kode: str = "16.07", **fields) -> Program:
    n = next(_serial)
    level = LEVEL_OF[0 if not kode else kode.count(".") + 1]
    defaults = {"name": f"Bimtek Uji {n}", "program_type": ProgramType.BIMTEK,
                "organiser_level": level, "budget_source": "apbd", "pagu": 100_000_000,
                "start_date": datetime.date(2023, 5, 1), "end_date": datetime.date(2023, 5, 3)}
    return Program.objects.create(kode_wilayah=kode, **{**defaults, **fields})


def make_prospect(kecamatan: str = "16.07.01", **fields) -> Prospect:
    n = next(_serial)
    defaults = {"nik": f"16070145089{n:05d}", "name": f"Calon {n}", "phone": "081234567890"}
    return Prospect.objects.create(kecamatan_id=kecamatan, **{**defaults, **fields})


def make_kub(kecamatan: str = "16.07.01", members=(), **fields) -> KubGroup:
    group = KubGroup.objects.create(kecamatan_id=kecamatan,
                                    **{"name": f"KUB Uji {next(_serial)}", **fields})
    for member in members:
        kind = "prospect" if isinstance(member, Prospect) else "enterprise"
        KubMember.objects.create(group=group, **{kind: member})
    return group


def make_participation(program: Program, participant, **fields) -> Participation:
    kind = {"enterprise": "enterprise", "prospect": "prospect",
            "kubgroup": "kub_group"}[participant._meta.model_name]
    return Participation.objects.create(program=program, **{kind: participant}, **fields)


def make_delivery(program: Program, recipient, bast_date=datetime.date(2023, 6, 1),
                  items=(("Mesin jahit", 2, 3_000_000),)) -> AidDelivery:
    kind = "kub_group" if recipient._meta.model_name == "kubgroup" else "enterprise"
    delivery = AidDelivery.objects.create(
        program=program, sk_number=f"SK/{next(_serial)}", sk_date=bast_date,
        bast_number=f"BAST/{next(_serial)}", bast_date=bast_date, **{kind: recipient})
    for name, quantity, value in items:
        AidItem.objects.create(delivery=delivery, name=name, quantity=quantity, unit_value=value)
    return delivery
