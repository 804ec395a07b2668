"""Input the aid pages must refuse with a message instead of a server error: dates of year 1 or
24, a quantity beyond its column, an upload whose name is too long for the file system."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.programs.forms import AidItemForm, AidPaperworkForm
from naikkelas.programs.models import AidDelivery, Participation
from naikkelas.programs.querysets import EligibilityRule
from naikkelas.programs.tests.test_views import aid_post

pytestmark = pytest.mark.django_db


def year_message(year: int) -> str:
    return (f"Tahun {year} berada di luar rentang 1900–2100; tuliskan tanggal dengan tahun empat "
            "angka, misalnya 15/07/2024.")


@pytest.mark.parametrize("on, years, start", [
    (datetime.date(1, 1, 1), 3, datetime.date.min),
    (datetime.date(2, 6, 30), 3, datetime.date.min),
    (datetime.date(3, 6, 30), 3, datetime.date.min),
    (datetime.date(4, 6, 30), 3, datetime.date(1, 6, 30)),
    (datetime.date(2024, 2, 29), 3, datetime.date(2021, 2, 28)),
    (datetime.date(2024, 7, 15), 3, datetime.date(2021, 7, 15)),
])
def test_window_start_stops_at_the_first_day_there_is(on, years, start):
    assert EligibilityRule(years=years).window_start(on) == start


PAPERS = {"sk_number": "SK/1", "sk_date": "03-06-2024", "bast_number": "BAST/1",
          "bast_date": "15-07-2024"}


@pytest.mark.parametrize("field, value, year", [
    ("sk_date", "15/07/0024", 24), ("bast_date", "01-01-0001", 1),
    ("bast_date", "2101-01-01", 2101), ("sk_date", "31/12/1899", 1899)])
def test_paperwork_dates_outside_the_registry_years_are_refused(field, value, year):
    form = AidPaperworkForm({**PAPERS, field: value})
    assert form.errors == {field: [year_message(year)]}


def test_paperwork_dates_at_the_ends_of_the_range_are_accepted():
    form = AidPaperworkForm({**PAPERS, "sk_date": "01-01-1900", "bast_date": "31-12-2100"})
    assert form.is_valid(), form.errors


def test_aid_page_refuses_year_one_instead_of_failing(regions, clients):
    region = regions["banyuasin"]
    url = reverse("programs:aid_create", args=[region.program.pk])
    response = clients["kab"].post(url, aid_post(region.enterprise, sk_date="0001-01-01",
                                                 bast_date="0001-01-02"))
    assert response.status_code == 200
    assert year_message(1) in response.content.decode()
    assert not AidDelivery.objects.filter(bast_number="BAST/9").exists()


def test_eligibility_partial_takes_a_date_of_year_one(regions, clients):
    region = regions["banyuasin"]
    url = reverse("programs:aid_eligibility", args=[region.program.pk])
    response = clients["kab"].get(f"{url}?enterprise={region.enterprise.pk}&bast_date=0001-01-01")
    assert response.status_code == 200


ITEM = {"name": "Mesin las", "unit_value": "Rp 3.250.000"}


def test_item_quantity_is_bounded_by_its_column():
    form = AidItemForm({**ITEM, "quantity": "99999999999"})
    assert form.errors == {"quantity": [
        "Pastikan nilai ini lebih kecil dari atau sama dengan 2147483647."]}
    assert AidItemForm({**ITEM, "quantity": "2147483647"}).is_valid()


def test_aid_page_refuses_a_quantity_beyond_the_column(regions, clients):
    region = regions["banyuasin"]
    url = reverse("programs:aid_create", args=[region.program.pk])
    response = clients["kab"].post(url, aid_post(region.enterprise, override_reason="Usaha baru",
                                                 **{"items-0-quantity": "99999999999"}))
    assert response.status_code == 200
    assert "2147483647" in response.content.decode()
    assert not AidDelivery.objects.filter(bast_number="BAST/9").exists()


LONG_NAME = "📋" * 70 + ".csv"  # 74 characters, 284 bytes: more than a file name may have


@pytest.mark.parametrize("page, header", [
    ("programs:participant_import", "NO;NAMA PESERTA;NIK;KECAMATAN"),
    ("programs:recipient_import", "NO;NAMA USAHA;NAMA BARANG;JUMLAH;HARGA SATUAN;NO SK;"
                                  "TANGGAL SK;NO BAST;TANGGAL BAST")])
def test_a_list_whose_file_name_is_too_long_is_still_read(regions, clients, page, header):
    program = regions["banyuasin"].program
    before = Participation.objects.count(), AidDelivery.objects.count()
    upload = SimpleUploadedFile(LONG_NAME, f"{header}\n1;;;Atlantis\n".encode())
    response = clients["kab"].post(reverse(page, args=[program.pk]), {"file": upload})
    assert response.status_code == 200
    assert "Baris 2" in response.content.decode()
    assert response.context["result"].file == LONG_NAME
    assert (Participation.objects.count(), AidDelivery.objects.count()) == before
