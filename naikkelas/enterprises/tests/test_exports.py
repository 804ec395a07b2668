"""The deleted-enterprises list as .xlsx and .csv: every deleted record in the user's wilayah (not
only the 200 the page shows), never an active one, the deletion time typed, NIK and phone masked
for a role that may not see them."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from naikkelas.core.testing import make_enterprise
from naikkelas.core.tests.test_exports import export_queries, exported

pytestmark = pytest.mark.django_db
NIK, PHONE = "1607014508900042", "081234565678"
DELETED = timezone.make_aware(datetime.datetime(2024, 5, 2, 9, 30))


@pytest.fixture
def deleted(db) -> None:
    make_enterprise("16.07.01", name="Pempek Terhapus", owner_nik=NIK, owner_phone=PHONE,
                    deleted_at=DELETED)
    make_enterprise("16.07.01", name="Pempek Aktif", owner_nik="1607014508900043")
    make_enterprise("63.71.01", name="Sasirangan Terhapus", deleted_at=DELETED)


@pytest.mark.parametrize("persona, nik, phone", [
    ("kab", NIK, PHONE), ("admin", NIK, PHONE),
    ("pimpinan", "160701••••••0042", "0812••••5678")])
def test_deleted_list_exports_deleted_records_in_scope_masked_by_role(personas, deleted, persona,
                                                                     nik, phone):
    client = Client()
    client.force_login(getattr(personas, persona))
    xlsx, text = exported(client, "enterprises:deleted_list_export")
    names = ["Pempek Terhapus", "Sasirangan Terhapus"] if persona == "admin" else [
        "Pempek Terhapus"]
    assert sorted(row["Nama usaha"] for row in xlsx) == names
    row = next(row for row in xlsx if row["Nama usaha"] == "Pempek Terhapus")
    assert row["NIK"] == nik and row["Nomor telepon"] == phone
    assert row["Terhapus"] == timezone.localtime(DELETED).replace(tzinfo=None)
    assert isinstance(row["ID"], int)
    csv_row = next(row for row in text if row["Nama usaha"] == "Pempek Terhapus")
    assert csv_row["NIK"] == nik and csv_row["Terhapus"].startswith("2024-05-02")


def test_export_queries_do_not_grow_with_rows(personas, deleted):
    client = Client()
    client.force_login(personas.prov)
    before = export_queries(client, "enterprises:deleted_list_export")
    for kecamatan in ("16.07.02", "16.71.01"):
        make_enterprise(kecamatan, deleted_at=DELETED)
    assert export_queries(client, "enterprises:deleted_list_export") == before
