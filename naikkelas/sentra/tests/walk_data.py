"""Sentra records for the scope walk (naikkelas/core/tests/test_scope_walk.py): in each region,
a designated sentra with the region's enterprise as member, an officer, a facility and support,
and a formed sentra without members (for the status step and a new member)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from naikkelas.enterprises.models import Enterprise
from naikkelas.sentra.testing import PDF, add_member, add_parts, make_sentra


def build(active: dict[str, Enterprise]) -> dict[tuple[str, int], int]:
    """(record kind, enterprise pk) -> record pk, for every region's enterprise."""
    records: dict[tuple[str, int], int] = {}
    for region, enterprise in active.items():
        kecamatan = enterprise.kecamatan_id
        sentra = make_sentra(kecamatan, "ditetapkan", name=f"Sentra {region} Walk")
        formed = make_sentra(kecamatan, "terbentuk", name=f"Sentra {region} Walk Baru")
        officer, facility, support = add_parts(sentra)
        member = add_member(sentra, enterprise)
        for kind, record in [("sentra", sentra), ("sentra_formed", formed),
                             ("sentra_member", member), ("sentra_officer", officer),
                             ("sentra_facility", facility), ("sentra_support", support)]:
            records[(kind, enterprise.pk)] = record.pk
    return records


def post_data(name: str, target: Enterprise | None) -> dict | None:
    """A payload the sentra view `name` accepts from an allowed user; None: not a sentra URL."""
    if not name.startswith("sentra:"):
        return None
    kecamatan = target.kecamatan_id if target else "16.07.01"
    today = timezone.localdate().isoformat()
    payloads = {
        "sentra:sentra_create": {"name": "Sentra Baru Walk", "komoditas": "kerupuk",
                                 "kecamatan": kecamatan},
        "sentra:sentra_edit": {"name": "Sentra diubah Walk", "komoditas": "pempek",
                               "kecamatan": kecamatan},
        "sentra:sentra_status": {"status": "ditetapkan", "sk_number": "188/WALK",
                                 "sk_date": today,
                                 "sk_document": SimpleUploadedFile("sk.pdf", PDF)},
        "sentra:member_add": {"enterprise": target.pk if target else "", "joined_on": today},
        "sentra:member_leave": {"left_on": today},
        "sentra:officer_add": {"kind": "pengelola", "name": "Pengelola Walk",
                               "position": "pengelola UPT"},
        "sentra:facility_add": {"kind": "ipal", "name": "IPAL Walk"},
        "sentra:support_add": {"source": "apbn", "year": 2024, "value": "10.000.000",
                               "description": "Mesin walk"},
    }
    return payloads.get(name, {"reason": "uji jalan URL"})
