"""Laporan Perkembangan IKM: the .xlsx opened with openpyxl and the PDF with pypdf, their
numbers checked against compute_indicators; a provinsi report has every kab/kota."""

from collections.abc import Iterator
from io import BytesIO

import openpyxl
import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from naikkelas.core.testing import built_once, make_enterprise, make_personas, make_report
from naikkelas.dashboard.report import build_report
from naikkelas.dashboard.svg import render
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.indicators.services import compute_indicators
from naikkelas.wilayah.models import Wilayah

pytestmark = pytest.mark.django_db
YEAR = 2024


def build():
    personas = make_personas()
    for n, kecamatan in enumerate(["16.07.01", "16.07.01", "16.07.05", "16.71.01", "63.71.01"]):
        enterprise = make_enterprise(kecamatan, kbli_id="10750" if n % 2 else "13134")
        make_report(enterprise, 2023, workers_male=1 + n, investment=10**8, sales=10**9)
        make_report(enterprise, YEAR, workers_male=5 + n, workers_female=2,
                    investment=1_111_111_111 * (n + 1), sales=2_222_222_222 * (n + 1),
                    production_value=333_333_333 * (n + 1), working_capital=6 * 10**9)
    return personas


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker) -> Iterator:
    with built_once(django_db_blocker, build) as built:
        yield built


def download(user, kode: str, fmt: str) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(f"dashboard:report_{fmt}", kwargs={"kode": kode,
                                                                     "year": YEAR}))
    assert response.status_code == 200
    assert f"laporan-perkembangan-ikm-{kode}-{YEAR}.{fmt}" in response["Content-Disposition"]
    return response.content


def rows_of(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_xlsx_has_a_sheet_per_section_with_numbers_as_numbers(personas):
    book = openpyxl.load_workbook(BytesIO(download(personas.kab, "16.07", "xlsx")))
    assert {"Ringkasan", "Kelas usaha", "Per wilayah", "Per KBLI", "Deret waktu"} <= set(
        book.sheetnames)
    data = compute_indicators("16.07", YEAR)
    summary = rows_of(book["Ringkasan"])
    values = [row[2] for row in summary[2:]]
    assert values == [data["jumlah_usaha"], data["tenaga_kerja"]["laki_laki"],
                      data["tenaga_kerja"]["perempuan"], data["tenaga_kerja"]["total"],
                      data["investasi"], data["omzet"], data["nilai_produksi"]]
    assert all(isinstance(v, int) for v in values)
    classes = {(r[0], r[1]): r[2] for r in rows_of(book["Kelas usaha"])[2:]}
    for rule in RULES.values():
        for kelas, n in data["kelas"][rule.id].items():
            assert classes[(rule.name, kelas)] == n
    children = {r[0]: r for r in rows_of(book["Per wilayah"])[2:]}
    assert children["16.07.01"][2] == compute_indicators("16.07.01", YEAR)["jumlah_usaha"] == 2
    assert children["16.07.05"][5] == compute_indicators("16.07.05", YEAR)["investasi"]


def test_province_report_lists_every_kab_kota_in_the_same_layout(personas):
    book = openpyxl.load_workbook(BytesIO(download(personas.prov, "16", "xlsx")))
    kabkota = list(Wilayah.objects.filter(parent_id="16").order_by("kode")
                   .values_list("kode", "nama"))
    assert len(kabkota) >= 17
    for kode, nama in kabkota:
        name = next(n for n in book.sheetnames if n.startswith(f"{kode} "))
        rows = rows_of(book[name])
        assert rows[0][0] == f"{nama} ({kode})"
        data = compute_indicators(kode, YEAR)
        assert rows[3][2] == data["jumlah_usaha"] and rows[7][2] == data["investasi"]
    per_wilayah = [r[0] for r in rows_of(book["Per wilayah"])[2:]]
    assert per_wilayah == [kode for kode, _ in kabkota]


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _rupiah(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def test_pdf_has_cover_tables_and_charts(personas):
    content = download(personas.kab, "16.07", "pdf")
    reader = pypdf.PdfReader(BytesIO(content))
    assert len(reader.pages) >= 3
    cover = reader.pages[0].extract_text()
    assert "Laporan Perkembangan IKM" in cover and "Banyuasin" in cover and str(YEAR) in cover
    text = _pdf_text(content)
    data = compute_indicators("16.07", YEAR)
    for value in (data["investasi"], data["omzet"], data["nilai_produksi"]):
        assert _rupiah(value) in text


def test_province_pdf_has_a_chapter_per_kab_kota(personas):
    text = _pdf_text(download(personas.prov, "16", "pdf"))
    for kode, nama in Wilayah.objects.filter(parent_id="16").values_list("kode", "nama"):
        assert f"({kode})" in text and nama.split()[-1] in text
    assert _rupiah(compute_indicators("16.71", YEAR)["investasi"]) in text


def test_svg_chart_draws_every_value(db):
    spec = {"title": "Uji <grafik>", "kind": "bar", "x": ["a", "b"],
            "series": [{"name": "n", "y": [3, 0]}]}
    svg = render(spec)
    assert svg.startswith("<svg") and "&lt;grafik&gt;" in svg and svg.count("<rect") == 2
    assert "<polyline" in render({**spec, "kind": "line"})


def test_report_of_a_kecamatan_has_no_child_section(personas):
    titles = [s.sheet for s in build_report("16.07.01", YEAR).main.sections]
    assert "Per wilayah" not in titles and "Ringkasan" in titles
