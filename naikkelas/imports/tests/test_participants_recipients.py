"""Importing a program's aid recipient list: matching, items per BAST, the eligibility rule and
its ALASAN override, row errors, all or nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.imports.recipients import import_recipients
from naikkelas.imports.services import ImportRefused
from naikkelas.imports.tests.files import plain_sheet, write_csv, write_xls, write_xlsx
from naikkelas.programs.models import AidDelivery, AidItem, ProgramType
from naikkelas.programs.tests.factories import make_delivery, make_kub, make_program

pytestmark = pytest.mark.django_db

HEADER = ["NO", "NAMA USAHA", "NIB", "KECAMATAN", "NAMA KUB", "NAMA BARANG", "JUMLAH",
          "HARGA SATUAN (Rp)", "MERK", "NO SERI", "NO SK", "TANGGAL SK", "NO BAST",
          "TANGGAL BAST", "ALASAN"]
SK_DATE, BAST_DATE = datetime.date(2024, 6, 3), datetime.date(2024, 7, 15)


@pytest.fixture
def program(db):
    return make_program("16.07", name="Bantuan Peralatan IKM Banyuasin 2024",
                        program_type=ProgramType.EQUIPMENT)


@pytest.fixture
def registered(db):
    return {"pempek": make_enterprise("16.07.01", name="Pempek Cek Molek", nib="1607000000001"),
            "songket": make_enterprise("16.07.05", name="Songket Indah"),
            "kub": make_kub("16.07.01", name="KUB Maju Bersama")}


def row(n, name="", nib="", kecamatan="", kub="", item="Oven gas 3 rak", quantity=1,
        value="Rp 4.500.000,-", bast=None, reason="", sk_date=SK_DATE, bast_date=BAST_DATE):
    return [n, name, nib, kecamatan, kub, item, quantity, value, "Hock", f"SN-{n:03d}",
            "SK/012/BANTUAN/2024", sk_date, bast or f"BAST/{n:03d}/2024", bast_date, reason]


GOOD = [row(1, "UD Pempek Cek Molek", "1607000000001", "Banyuasin I", bast="BAST/001/2024"),
        row(2, "", "", "", item="Mesin jahit portable", quantity=2, value=2_750_000,
            bast="BAST/001/2024", sk_date="", bast_date=""),  # a second item of handover 1
        row(3, "CV Songket Indah", "", "Betung"),
        row(4, "KUB Maju Bersama", "", "Banyuasin I", kub="KUB Maju Bersama", quantity=3)]


def test_good_list_records_each_handover_with_its_items(program, registered, personas,
                                                        tmp_path):
    path = write_xlsx(tmp_path / "penerima.xlsx", [["DAFTAR PENERIMA BANTUAN 2024"], [],
                                                    *plain_sheet(HEADER, GOOD)])
    result = import_recipients(path, program=program, actor=personas.kab)
    assert not result.errors
    assert (result.rows_read, result.deliveries, result.items, result.overrides) == (4, 3, 4, 0)
    assert result.value == 4_500_000 + 2 * 2_750_000 + 4_500_000 + 3 * 4_500_000
    first = AidDelivery.objects.get(bast_number="BAST/001/2024")
    assert first.enterprise == registered["pempek"]
    assert (first.sk_date, first.bast_date) == (SK_DATE, BAST_DATE)
    assert sorted(first.items.values_list("name", "quantity", "brand", "serial")) == [
        ("Mesin jahit portable", 2, "Hock", "SN-002"), ("Oven gas 3 rak", 1, "Hock", "SN-001")]
    assert AidDelivery.objects.get(bast_number="BAST/003/2024").enterprise == \
        registered["songket"]
    assert AidDelivery.objects.get(bast_number="BAST/004/2024").kub_group == registered["kub"]
    rows = AuditLog.objects.filter(object_type="programs.aiddelivery")
    assert rows.count() == 3 and {r.subject_id for r in rows} == {str(program.pk)}
    assert len(rows.get(object_id=str(first.pk)).after["items"]) == 2


def test_csv_with_semicolons_and_indonesian_dates(program, registered, personas, tmp_path):
    grid = plain_sheet(["NAMA IKM", "KECAMATAN", "JENIS BARANG", "VOLUME", "NILAI SATUAN",
                        "NOMOR SK", "TGL SK", "NOMOR BAST", "TGL BAST"],
                       [["Songket Indah", "Kec. Betung", "Alat tenun", "1", "12.500.000",
                         "SK/7/2024", "03-06-2024", "BAST/7/2024", "15/07/2024"]])
    result = import_recipients(write_csv(tmp_path / "penerima.csv", grid), program=program,
                               actor=personas.kab)
    assert not result.errors
    delivery = AidDelivery.objects.get()
    assert (delivery.enterprise, delivery.sk_date, delivery.bast_date) == (
        registered["songket"], SK_DATE, BAST_DATE)
    assert delivery.items.get().unit_value == 12_500_000


def test_earlier_aid_from_another_office_refuses_the_row_naming_alasan(program, registered,
                                                                        personas, tmp_path):
    pusat = make_program("", name="Bantuan Ditjen IKMA 2023", program_type=ProgramType.EQUIPMENT)
    make_delivery(pusat, registered["songket"], bast_date=datetime.date(2023, 9, 18))
    path = write_xlsx(tmp_path / "penerima.xlsx", plain_sheet(HEADER, GOOD))
    result = import_recipients(path, program=program, actor=personas.kab)
    assert [(e.row, e.column) for e in result.errors] == [(4, "ALASAN")]
    text = result.errors[0].text()
    assert text.startswith("Baris 4, kolom ALASAN:") and "Songket Indah" in text
    assert not AidDelivery.objects.filter(program=program).exists()
    assert not AuditLog.objects.exists()


def test_alasan_overrides_the_rule_and_is_audited(program, registered, personas, tmp_path):
    pusat = make_program("", name="Bantuan Ditjen IKMA 2023", program_type=ProgramType.EQUIPMENT)
    make_delivery(pusat, registered["songket"], bast_date=datetime.date(2023, 9, 18))
    reason = "Alat 2023 untuk produksi lain; usaha berkembang"
    rows = [*GOOD[:2], row(3, "CV Songket Indah", "", "Betung", reason=reason), GOOD[3]]
    path = write_xlsx(tmp_path / "penerima.xlsx", plain_sheet(HEADER, rows))
    result = import_recipients(path, program=program, actor=personas.kab)
    assert (result.errors, result.deliveries, result.overrides) == ([], 3, 1)
    again = AidDelivery.objects.get(program=program, enterprise=registered["songket"])
    assert again.override_reason == reason
    audit = AuditLog.objects.get(object_type="programs.aiddelivery", object_id=str(again.pk))
    assert (audit.reason, audit.actor) == (reason, personas.kab)
    others = AidDelivery.objects.filter(program=program).exclude(pk=again.pk)
    assert set(others.values_list("override_reason", flat=True)) == {""}


def test_any_bad_row_writes_nothing_and_every_error_names_row_and_column(program, registered,
                                                                         personas, tmp_path):
    rows = GOOD + [
        row(5, "Usaha Tidak Terdaftar", "", "Banyuasin I"),
        row(6, "UD Pempek Cek Molek", "1607000000001", "Banyuasin I", quantity=0),
        row(7, "CV Songket Indah", "", "Betung", value="seribu", bast="BAST/007/2024",
            bast_date=datetime.date(2024, 5, 1)),
        row(8, "", "", "", bast="BAST/001/2024", item="Kompor", sk_date="2024-06-04"),
    ]
    path = write_xlsx(tmp_path / "penerima.xlsx", plain_sheet(HEADER, rows))
    result = import_recipients(path, program=program, actor=personas.kab)
    found = [(e.row, e.column) for e in result.errors]
    assert (6, "") in found                         # no registered enterprise matches
    assert (7, "JUMLAH") in found                   # quantity 0
    assert (8, "HARGA SATUAN (Rp)") in found        # not an amount
    assert (8, "TANGGAL BAST") in found             # BAST before the SK
    assert (9, "TANGGAL SK") in found               # differs from its handover's first row
    assert all(e.text().startswith(f"Baris {e.row}") for e in result.errors)
    assert not AidDelivery.objects.exists() and not AidItem.objects.exists()
    assert not AuditLog.objects.exists()


def test_the_same_recipient_under_two_bast_numbers_is_refused(program, registered, personas,
                                                              tmp_path):
    rows = [row(1, "UD Pempek Cek Molek", "1607000000001", "Banyuasin I"),
            row(2, "Pempek Cek Molek", "", "Banyuasin I")]
    result = import_recipients(write_xlsx(tmp_path / "p.xlsx", plain_sheet(HEADER, rows)),
                               program=program, actor=personas.kab)
    assert [e.row for e in result.errors] == [3], [e.text() for e in result.errors]
    assert "baris 2" in result.errors[0].message
    assert not AidDelivery.objects.exists()


def test_missing_columns_no_rights_and_unreadable_files_are_refused(program, registered,
                                                                    personas, tmp_path):
    without_bast = plain_sheet(["NAMA USAHA", "KECAMATAN", "NAMA BARANG", "JUMLAH",
                                "HARGA SATUAN", "NO SK", "TANGGAL SK"],
                               [["Songket Indah", "Betung", "Oven", 1, 1000, "SK/1", SK_DATE]])
    with pytest.raises(ImportRefused, match="Nomor BAST, Tanggal BAST"):
        import_recipients(write_xlsx(tmp_path / "a.xlsx", without_bast), program=program,
                          actor=personas.kab)
    good = write_csv(tmp_path / "p.csv", plain_sheet(HEADER, GOOD))
    for actor in (personas.pimpinan, personas.other):
        with pytest.raises(ImportRefused):
            import_recipients(good, program=program, actor=actor)
    bad = tmp_path / "penerima.xlsx"
    bad.write_text("bukan spreadsheet")
    with pytest.raises(ImportRefused):
        import_recipients(bad, program=program, actor=personas.kab)
    assert not AidDelivery.objects.exists()


def test_upload_page_records_or_shows_the_errors(program, registered, personas, client,
                                                 tmp_path):
    client.force_login(personas.kab)
    url = reverse("programs:recipient_import", args=[program.pk])
    assert url in client.get(program.get_absolute_url()).content.decode()
    bad = write_csv(tmp_path / "bad.csv", plain_sheet(HEADER, [row(1, "Tidak Ada", "",
                                                                    "Banyuasin I")]))
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", bad.read_bytes())})
    text = response.content.decode()
    assert response.status_code == 200 and "Baris 2" in text and "Tidak ada yang diimpor" in text
    good = write_xlsx(tmp_path / "good.xlsx", plain_sheet(HEADER, GOOD))
    response = client.post(url, {"file": SimpleUploadedFile("good.xlsx", good.read_bytes())})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "4 baris dibaca: 3 serah terima bantuan" in page
    assert AidDelivery.objects.filter(program=program).count() == 3


def test_a_nul_in_the_kub_name_refuses_its_row(program, registered, personas, tmp_path):
    # The KUB name goes into a query, which PostgreSQL refuses with a NUL: a server error before.
    rows = [*GOOD[:3], row(4, "KUB Maju Bersama", "", "Banyuasin I", kub="KUB Maju\x00 Bersama")]
    result = import_recipients(write_xls(tmp_path / "penerima.xls", plain_sheet(HEADER, rows)),
                               program=program, actor=personas.kab)
    assert [e.text() for e in result.errors] == [
        "Baris 5, kolom NAMA KUB: Sel berisi karakter NUL (kode 0), yang tidak dapat disimpan. "
        "Hapus karakter itu di berkas, lalu impor lagi."]
    assert not AidDelivery.objects.exists() and not AuditLog.objects.exists()


def test_a_number_in_a_date_column_is_refused_with_a_message(program, registered, personas,
                                                             tmp_path):
    # A date column without a date format holds the serial number (45446): a server error before.
    rows = [row(3, "CV Songket Indah", "", "Betung", sk_date=45446)]
    result = import_recipients(write_xlsx(tmp_path / "penerima.xlsx", plain_sheet(HEADER, rows)),
                               program=program, actor=personas.kab)
    assert [e.text() for e in result.errors] == [
        "Baris 2, kolom TANGGAL SK: Masukkan tanggal yang valid."]
    assert not AidDelivery.objects.exists()


def test_a_further_row_of_a_handover_naming_another_recipient_is_refused(program, registered,
                                                                         personas, tmp_path):
    # Before, only the names were compared: another NIB, or the same name in another
    # kecamatan, was credited to the first row's recipient without a word.
    rows = [row(1, "UD Pempek Cek Molek", "1607000000001", "Banyuasin I", bast="B/1"),
            row(2, "", "1607000000002", "", item="Kompor", bast="B/1", sk_date="", bast_date=""),
            row(3, "Pempek Cek Molek", "", "Betung", item="Wajan", bast="B/1", sk_date="",
                bast_date="")]
    result = import_recipients(write_xlsx(tmp_path / "penerima.xlsx", plain_sheet(HEADER, rows)),
                               program=program, actor=personas.kab)
    assert [e.text() for e in result.errors] == [
        "Baris 3, kolom NIB: Nomor BAST sama dengan baris 2, tetapi penerimanya lain.",
        "Baris 4, kolom KECAMATAN: Nomor BAST sama dengan baris 2, tetapi penerimanya lain."]
    assert not AidDelivery.objects.exists()
