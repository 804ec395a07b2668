"""Plain factory functions for sentra, for this app's tests and the scope walk."""

import datetime

from django.core.files.base import ContentFile

from naikkelas.enterprises.models import Enterprise
from naikkelas.sentra.models import (
    Sentra, SentraFacility, SentraMember, SentraOfficer, SentraStatus, SentraSupport,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FORMED = datetime.date(2021, 3, 1)
SK_DATE = datetime.date(2022, 6, 15)


def make_sentra(kecamatan: str = "16.07.01", status: str = SentraStatus.USULAN,
                **fields) -> Sentra:
    """A sentra saved directly (no audit row); designated ones get an SK and its document."""
    defaults = {"name": f"Sentra Uji {kecamatan}", "komoditas": "pempek", "kbli_id": "10750"}
    sentra = Sentra(kecamatan_id=kecamatan, status=status, **{**defaults, **fields})
    if status != SentraStatus.USULAN:
        sentra.formed_on = sentra.formed_on or FORMED
    if status == SentraStatus.DITETAPKAN:
        sentra.sk_number = sentra.sk_number or f"188.45/{kecamatan}/2022"
        sentra.sk_date = sentra.sk_date or SK_DATE
        sentra.sk_document.save("sk.pdf", ContentFile(PDF), save=False)
    sentra.save()
    return sentra


def add_member(sentra: Sentra, enterprise: Enterprise,
               joined_on: datetime.date = FORMED, **fields) -> SentraMember:
    return SentraMember.objects.create(sentra=sentra, enterprise=enterprise,
                                       joined_on=joined_on, **fields)


def add_parts(sentra: Sentra, phone: str = "081234567890") -> tuple:
    """One officer, one facility and one support row."""
    officer = SentraOfficer.objects.create(sentra=sentra, kind="pengurus", name="Ketua Uji",
                                           position="ketua", phone=phone)
    facility = SentraFacility.objects.create(sentra=sentra, kind="upt", name="UPT Uji")
    support = SentraSupport.objects.create(sentra=sentra, source="dak", year=2023,
                                           value=250_000_000, description="Rumah produksi")
    return officer, facility, support
