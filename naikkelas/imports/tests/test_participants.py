"""Importing a program's participant list: matching, prospects, row errors, all or nothing."""

import pytest
from django.urls import reverse
from django.core.files.uploadedfile import SimpleUploadedFile

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.imports.participants import import_participants
from naikkelas.imports.services import ImportRefused
from naikkelas.imports.tests.files import plain_sheet, write_csv, write_xlsx
from naikkelas.programs.models import Participation, Prospect
from naikkelas.programs.tests.factories import make_participation, make_program, make_prospect

pytestmark = pytest.mark.django_db

HEADER = ["NO", "NAMA USAHA", "NAMA PESERTA", "NIK", "NIB", "KECAMATAN", "NO. HP"]


@pytest.fixture
def program(db):
    return make_program("16.07", name="Bimtek Pengemasan 2024")


@pytest.fixture
def registered(db):
    return {"pempek": make_enterprise("16.07.01", name="Pempek Cek Molek", nib="1607000000001",
                                      owner_name="Siti Aminah"),
            "songket": make_enterprise("16.07.05", name="Songket Indah", owner_name="Rahmawati")}


GOOD_ROWS = [
    [1, "Pempek Cek Molek", "Siti Aminah", "", "1607000000001", "Banyuasin I", ""],
    [2, "CV Songket Indah", "Rahmawati", "", "", "Betung", ""],
    [3, "", "Dewi Lestari", "1607014508900077", "", "Banyuasin I", "0812-1111-2222"],
    [4, "", "Andi Saputra", "1607011203950011", "", "Kec. Banyuasin I", ""],
]


def test_good_file_registers_enterprises_and_prospects(program, registered, personas, tmp_path):
    known = make_prospect("16.07.01", nik="1607011203950011", name="Andi Saputra")
    path = write_xlsx(tmp_path / "peserta.xlsx", plain_sheet(HEADER, GOOD_ROWS))
    result = import_participants(path, program=program, actor=personas.kab)
    assert not result.errors
    assert (result.rows_read, result.enterprises, result.prospects_new,
            result.prospects_known) == (4, 2, 1, 1)
    enterprises = set(Participation.objects.filter(program=program).exclude(enterprise=None)
                      .values_list("enterprise__name", flat=True))
    assert enterprises == {"Pempek Cek Molek", "Songket Indah"}
    dewi = Prospect.objects.get(name="Dewi Lestari")
    assert (dewi.kecamatan_id, dewi.phone) == ("16.07.01", "081211112222")
    assert Participation.objects.filter(program=program, prospect=known).exists()
    assert AuditLog.objects.filter(object_type="programs.participation").count() == 4


def test_second_import_adds_nothing(program, registered, personas, tmp_path):
    path = write_xlsx(tmp_path / "peserta.xlsx", plain_sheet(HEADER, GOOD_ROWS))
    import_participants(path, program=program, actor=personas.kab)
    again = import_participants(path, program=program, actor=personas.kab)
    assert (again.already, again.written) == (4, 0)
    assert Participation.objects.filter(program=program).count() == 4


def test_list_of_people_only(program, personas, tmp_path):
    grid = plain_sheet(["NO", "NAMA", "NIK", "KECAMATAN", "NO HP"],
                       [[1, "Rina Marlina", "1607014508900042", "Banyuasin I", "081234567890"]])
    path = write_csv(tmp_path / "wub.csv", grid)
    result = import_participants(path, program=program, actor=personas.kab)
    assert (result.errors, result.prospects_new) == ([], 1)
    assert Prospect.objects.get().name == "Rina Marlina"


def test_bad_rows_write_nothing_and_are_numbered(program, registered, personas, tmp_path):
    rows = GOOD_ROWS + [
        [5, "", "Tanpa NIK", "", "", "Banyuasin I", ""],
        [6, "", "NIK Salah", "16070145", "", "Banyuasin I", ""],
        [7, "Usaha Palembang", "Budi", "1671011203950011", "", "Ilir Barat I", ""],
    ]
    path = write_xlsx(tmp_path / "peserta.xlsx", [["DAFTAR PESERTA BIMTEK"], [],
                                                   *plain_sheet(HEADER, rows)])
    result = import_participants(path, program=program, actor=personas.kab)
    messages = [e.text() for e in result.errors]
    assert [e.row for e in result.errors] == [8, 9, 10]
    assert "tanpa NIK" in messages[0]
    assert "NIK" in messages[1] and "16 digit" in messages[1]
    assert "Ilir Barat I" in messages[2]
    assert not Participation.objects.exists() and not Prospect.objects.exists()
    assert not AuditLog.objects.exists()


def test_refusal_while_writing_undoes_the_earlier_rows(program, registered, personas, tmp_path):
    """A prospect of another kab/kota (known by NIK) cannot join a Banyuasin program."""
    make_prospect("16.71.01", nik="1607011203950011", name="Andi Saputra")
    path = write_xlsx(tmp_path / "peserta.xlsx", plain_sheet(HEADER, GOOD_ROWS))
    result = import_participants(path, program=program, actor=personas.kab)
    assert [e.row for e in result.errors] == [5]
    assert result.written == 0
    assert not Participation.objects.exists()
    assert Prospect.objects.count() == 1


def test_unreadable_file_and_no_rights_are_refused(program, personas, tmp_path):
    bad = tmp_path / "peserta.xlsx"
    bad.write_text("bukan spreadsheet")
    with pytest.raises(ImportRefused):
        import_participants(bad, program=program, actor=personas.kab)
    good = write_csv(tmp_path / "p.csv", plain_sheet(HEADER, GOOD_ROWS))
    with pytest.raises(ImportRefused):
        import_participants(good, program=program, actor=personas.pimpinan)
    with pytest.raises(ImportRefused):
        import_participants(good, program=program, actor=personas.other)


def test_upload_page_shows_row_errors(program, personas, client, tmp_path):
    client.force_login(personas.kab)
    path = write_csv(tmp_path / "p.csv", plain_sheet(HEADER, [
        [1, "", "Tanpa NIK", "", "", "Banyuasin I", ""]]))
    upload = SimpleUploadedFile("peserta.csv", path.read_bytes())
    response = client.post(reverse("programs:participant_import", args=[program.pk]),
                           {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and "Baris 2" in text and "Tidak ada yang diimpor" in text


def test_upload_page_imports(program, registered, personas, client, tmp_path):
    client.force_login(personas.kab)
    path = write_xlsx(tmp_path / "p.xlsx", plain_sheet(HEADER, GOOD_ROWS))
    response = client.post(reverse("programs:participant_import", args=[program.pk]),
                           {"file": SimpleUploadedFile("peserta.xlsx", path.read_bytes())})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "4 baris dibaca: 2 usaha terdaftar, 2 calon wirausaha baru" in page
    assert Participation.objects.filter(program=program).count() == 4


def test_the_owner_of_a_registered_enterprise_is_not_recorded_as_a_prospect(program, personas,
                                                                           tmp_path):
    # Before, a row repeated in the list (matching takes each enterprise once), or the owner
    # written in a list of people, became a new prospect carrying the owner's NIK.
    owner = make_enterprise("16.07.01", name="Pempek Cek Molek", owner_name="Siti Aminah",
                            owner_nik="1607014507850001")
    make_enterprise("16.07.01", name="Kopi Bubuk Siti", owner_name="Siti Rahma",
                    owner_nik="1607014507850002")
    make_enterprise("16.07.05", name="Songket Siti", owner_name="Siti Rahma",
                    owner_nik="1607014507850002")
    rows = [[1, "Pempek Cek Molek", "Siti Aminah", "1607014507850001", "", "Banyuasin I", ""],
            [2, "Pempek Cek Molek", "Siti Aminah", "1607014507850001", "", "Banyuasin I", ""]]
    result = import_participants(write_xlsx(tmp_path / "peserta.xlsx", plain_sheet(HEADER, rows)),
                                 program=program, actor=personas.kab)
    assert (result.errors, result.enterprises, result.already, result.prospects_new) == (
        [], 1, 1, 0)
    people = plain_sheet(["NAMA", "NIK", "KECAMATAN"],
                         [["Siti Aminah", "1607014507850001", "Banyuasin I"],
                          ["Siti Rahma", "1607014507850002", "Banyuasin I"]])
    result = import_participants(write_csv(tmp_path / "orang.csv", people), program=program,
                                 actor=personas.kab)
    assert [e.text() for e in result.errors] == [
        "Baris 3, kolom NIK: NIK ini milik pemilik 2 usaha terdaftar; tuliskan NIB atau nama "
        "usaha yang ikut serta."]
    assert not Prospect.objects.exists()
    assert list(Participation.objects.values_list("enterprise", flat=True)) == [owner.pk]


def test_a_row_repeated_with_its_nib_and_no_nik_counts_once(program, registered, personas,
                                                            tmp_path):
    # The repeat found no enterprise left to match and was refused for having no NIK.
    rows = [GOOD_ROWS[0], GOOD_ROWS[0]]
    result = import_participants(write_xlsx(tmp_path / "peserta.xlsx", plain_sheet(HEADER, rows)),
                                 program=program, actor=personas.kab)
    assert (result.errors, result.enterprises, result.already) == ([], 1, 1)
    assert Participation.objects.get().enterprise == registered["pempek"]
