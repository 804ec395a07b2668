"""The certificate lists as .xlsx and .csv: the filtered rows, typed, only in the user's wilayah."""

import datetime

import pytest

from naikkelas.certifications.models import Certificate
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.core.tests.test_exports import export_queries, exported

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def certificate(kecamatan: str, type_: str, number: str, valid_days: int) -> Certificate:
    return Certificate.objects.create(
        enterprise=make_enterprise(kecamatan, name=f"Usaha {number}"), type=type_,
        number=number, issued_on=datetime.date(2023, 4, 1),
        valid_until=TODAY + datetime.timedelta(days=valid_days))


@pytest.fixture
def certificates(db) -> dict[str, Certificate]:
    return {"soon": certificate("16.07.01", "halal", "ID31110000000000001", 30),
            "later": certificate("16.07.02", "sni", "SNI-BANYUASIN", 400),
            "palembang": certificate("16.71.01", "halal", "ID31110000000000002", 30),
            "banjarmasin": certificate("63.71.01", "halal", "ID63710000000000003", 30)}


def test_certificate_list_exports_the_filtered_rows_typed(personas, certificates):
    xlsx, text = exported(client_for(personas.kab), "certifications:certificate_list_export",
                          {"type": "halal"})
    assert [row["Nomor"] for row in xlsx] == ["ID31110000000000001"]  # not the SNI, not Palembang
    row = xlsx[0]
    assert row["ID usaha"] == certificates["soon"].enterprise_id and row["Jenis"] == "Halal"
    assert row["Tanggal terbit"] == datetime.datetime(2023, 4, 1)
    assert row["Berlaku sampai"].date() == certificates["soon"].valid_until
    assert text[0]["Tanggal terbit"] == "2023-04-01" and text[0]["Kode kecamatan"] == "16.07.01"
    assert AuditLog.objects.filter(action="export").count() == 2


def test_expiring_list_exports_only_what_expires_soon_in_scope(personas, certificates):
    for user, numbers in ((personas.kab, ["ID31110000000000001"]),
                          (personas.prov, ["ID31110000000000001", "ID31110000000000002"]),
                          (personas.other, ["ID63710000000000003"])):
        xlsx, text = exported(client_for(user), "certifications:certificate_expiring_export")
        assert sorted(row["Nomor"] for row in xlsx) == numbers
        assert sorted(row["Nomor"] for row in text) == numbers


def test_unknown_format_is_404(personas):
    assert client_for(personas.kab).get("/sertifikat/ekspor.pdf").status_code == 404


def test_export_queries_do_not_grow_with_rows(personas, certificates):
    client = client_for(personas.prov)
    before = export_queries(client, "certifications:certificate_list_export")
    for n in range(3):
        certificate("16.07.01", "sni", f"SNI-{n}", 30)
    assert export_queries(client, "certifications:certificate_list_export") == before
    before = export_queries(client, "certifications:certificate_expiring_export")
    certificate("16.71.01", "sni", "SNI-X", 20)
    assert export_queries(client, "certifications:certificate_expiring_export") == before
