import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from naikkelas.core.testing import Personas, make_enterprise, make_report
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs.models import AidDelivery, KubGroup, Participation, Program, ProgramType, Prospect
from naikkelas.programs.tests.factories import (
    make_delivery, make_kub, make_participation, make_program, make_prospect,
)


@dataclass
class Region:
    """One region's program with an enterprise, a prospect and a KUB group taking part, and aid."""

    program: Program
    enterprise: Enterprise
    prospect: Prospect
    kub: KubGroup
    participation: Participation
    delivery: AidDelivery


def make_region(kabkota: str, kecamatan: str, nik: str, label: str) -> Region:
    enterprise = make_enterprise(kecamatan, name=f"Usaha Program {label}", kbli_id="10750")
    make_report(enterprise, 2022)
    make_report(enterprise, 2024)
    program = make_program(kabkota, name=f"Bimtek {label}", program_type=ProgramType.EQUIPMENT)
    prospect = make_prospect(kecamatan, nik=nik, name=f"Calon {label}", phone="081299990000")
    kub = make_kub(kecamatan, members=[enterprise, prospect], name=f"KUB {label}")
    participation = make_participation(program, enterprise)
    make_participation(program, prospect)
    make_participation(program, kub)
    delivery = make_delivery(program, enterprise)
    delivery.document.save("bast.pdf", ContentFile(b"%PDF-1.4 bast " + label.encode()))
    return Region(program, enterprise, prospect, kub, participation, delivery)


@pytest.fixture
def regions(personas, settings, tmp_path) -> dict[str, Region]:
    settings.MEDIA_ROOT = tmp_path
    return {"banyuasin": make_region("16.07", "16.07.01", "1607014508900042", "Banyuasin"),
            "banjarmasin": make_region("63.71", "63.71.01", "6371010101700042", "Banjarmasin")}


@pytest.fixture
def clients(personas: Personas) -> dict[str, Client]:
    logged_in = {}
    for name, user in personas.all().items():
        logged_in[name] = Client()
        logged_in[name].force_login(user)
    return logged_in


BAST = datetime.date(2024, 7, 1)
