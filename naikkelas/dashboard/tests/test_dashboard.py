"""The dashboard of a wilayah: drill-down inside the scope only, the rule selector, the numbers
of the rollups, the report downloads and a bounded number of queries."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import (
    Personas, built_once, client_for, make_enterprise, make_personas, make_report,
)
from naikkelas.enterprises.sizeclass import RULE_IDS
from naikkelas.indicators.definitions import INDICATORS
from naikkelas.indicators.services import _sections, compute_indicators
from naikkelas.wilayah.models import Wilayah

pytestmark = pytest.mark.django_db
YEAR = 2024
PLACES = [("16.07.01", "10750"), ("16.07.01", "13134"), ("16.07.02", "10750"),
          ("16.71.01", "14111"), ("63.71.01", "16291"), ("63.71.01", None)]


@dataclass
class World:
    personas: Personas


def build_world() -> World:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = World(make_personas())
    for n, (kecamatan, kbli) in enumerate(PLACES * 2):
        enterprise = make_enterprise(kecamatan, kbli_id=kbli, name=f"Usaha Dasbor {n}")
        make_report(enterprise, 2023, workers_male=2 + n, sales=(n + 1) * 10**9,
                    investment=(n + 1) * 123_456_789, working_capital=10**8)
        make_report(enterprise, YEAR, workers_male=3 + n, workers_female=n, sales=(n + 3) * 10**9,
                    investment=(n + 2) * 987_654_321, working_capital=(n + 1) * 10**9,
                    production_value=n * 77_777_777)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with built_once(django_db_blocker, build_world) as built:
        yield built


def page(kode: str) -> str:
    return reverse("dashboard:wilayah", kwargs={"kode": kode or "nasional"})


def stat(html: str, element_id: str) -> int:
    return int(re.sub(r"\D", "", re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)[1]))


@pytest.mark.parametrize("persona, kode, children", [
    ("admin", "", {"16", "63"}), ("prov", "16", {"16.07", "16.71"}),
    ("kab", "16.07", {"16.07.01", "16.07.02"}), ("pimpinan", "16.07", {"16.07.01"}),
    ("other", "63", {"63.71"}),
])
def test_children_link_to_their_own_dashboard(world, persona, kode, children):
    user = getattr(world.personas, persona)
    html = client_for(user).get(reverse("dashboard:home")).content.decode()
    table = re.search(r'id="children-table".*?</table>', html, re.S)[0]
    links = dict(re.findall(r'<tr data-kode="([^"]+)"><td><a href="([^"]+)"', table))
    assert children <= set(links)
    assert all(user.covers(child) for child in links)
    for child in children:
        assert links[child].startswith(page(child))
        assert client_for(user).get(links[child]).status_code == 200


@pytest.mark.parametrize("persona, kode", [
    ("kab", "16"), ("kab", "16.71"), ("kab", "16.71.01"), ("kab", "nasional"), ("prov", "63"),
    ("prov", "63.71.01"), ("other", "16"), ("other", "16.07"), ("other", "16.07.01"),
    ("pimpinan", "16"), ("pimpinan", "16.71"), ("admin", "99.99"), ("admin", "16.07.01.2001"),
    ("admin", "bukan-kode"),
])
def test_drill_down_out_of_scope_or_unknown_is_404(world, persona, kode):
    client = client_for(getattr(world.personas, persona))
    assert client.get(page(kode)).status_code == 404
    url = reverse("dashboard:report_xlsx", kwargs={"kode": kode, "year": YEAR})
    assert client.get(url).status_code == 404


def test_kecamatan_is_the_last_level_and_the_trail_stays_in_scope(world):
    html = client_for(world.personas.kab).get(page("16.07.01")).content.decode()
    assert 'id="children-table"' not in html
    trail = re.search(r'<nav class="trail.*?</nav>', html, re.S)[0]
    assert page("16.07") in trail and page("16") not in trail and page("") not in trail


def test_kalsel_officer_sees_nothing_of_sumsel(world):
    html = client_for(world.personas.other).get(page("63")).content.decode()
    sumsel = compute_indicators("16", YEAR)
    assert "Banyuasin" not in html and "Palembang" not in html
    assert stat(html, "stat-investasi") == compute_indicators("63", YEAR)["investasi"]
    assert f'{sumsel["investasi"]:,}'.replace(",", ".") not in html


def test_pimpinan_sees_the_aggregates_of_banyuasin(world):
    html = client_for(world.personas.pimpinan).get(reverse("dashboard:home")).content.decode()
    data = compute_indicators("16.07", YEAR)
    assert stat(html, "stat-jumlah-usaha") == data["jumlah_usaha"] == 6
    assert stat(html, "stat-nilai-produksi") == data["nilai_produksi"]
    assert "Usaha Dasbor" not in html  # aggregates, never an enterprise


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_selector_swaps_the_naik_kelas_section(world, rule):
    client = client_for(world.personas.prov)
    response = client.get(page("16"), {"tahun": YEAR, "aturan": rule, "bagian": "naik-kelas"},
                          headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="naik-kelas"') and "<html" not in html
    assert f'data-rule="{rule}"' in html
    assert stat(html, "naik-kelas-total") == compute_indicators("16", YEAR)["naik_kelas"][rule]
    shown = dict(re.findall(r'<tr data-kode="([^"]+)">.*?class="num naik">([^<]*)<', html))
    for kab in ("16.07", "16.71"):
        assert int(shown[kab]) == compute_indicators(kab, YEAR)["naik_kelas"][rule]


def test_unknown_rule_falls_back_to_the_first(world):
    response = client_for(world.personas.kab).get(reverse("dashboard:home"), {"aturan": "x"})
    assert response.context["rule"].id == RULE_IDS[0]


def test_charts_are_embedded_as_json_for_plotly(world):
    html = client_for(world.personas.prov).get(reverse("dashboard:home")).content.decode()
    specs = {m[0]: json.loads(m[1]) for m in re.findall(
        r'<script id="([^"]+)-data" type="application/json">(.*?)</script>', html, re.S)}
    assert {"chart-series", "chart-children", "chart-divisions", "chart-classes"} <= set(specs)
    children = specs["chart-children"]
    assert children["x"] == [Wilayah.objects.get(kode=k).nama for k in
                             Wilayah.objects.filter(parent_id="16").order_by("kode")
                             .values_list("kode", flat=True)]
    assert sum(children["series"][0]["y"]) == compute_indicators("16", YEAR)["jumlah_usaha"]
    assert reverse("dashboard:plotly_js") in html and "cdn" not in html.lower()


def test_plotly_is_served_by_the_app_with_long_caching(client):
    response = client.get(reverse("dashboard:plotly_js"))
    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"]
    assert b"plotly" in b"".join(response.streaming_content)[:2000].lower()


def test_dashboard_queries_do_not_grow(world, django_assert_max_num_queries):
    """17 of the dashboard (session, user, years, label, trail, indicators 3, series 2,
    children 3, divisions 3) plus whatever the domain apps' indicator sections need."""
    client = client_for(world.personas.admin)
    for kode in ("", "16", "16.07", "16.07.01"):
        with CaptureQueriesContext(connection) as sections:
            _sections(kode, YEAR)
        with django_assert_max_num_queries(17 + len(sections)):
            assert client.get(page(kode)).status_code == 200


def test_definitions_page_lists_every_indicator(world):
    html = client_for(world.personas.pimpinan).get(reverse("dashboard:definitions")).content
    for indicator in INDICATORS:
        assert f'id="def-{indicator.key}"'.encode() in html


def test_dashboard_report_and_json_command_agree_to_the_rupiah(world):
    client = client_for(world.personas.prov)
    for kode in ("16", "16.07", "16.07.02"):
        html = client.get(page(kode), {"tahun": YEAR}).content.decode()
        out = StringIO()
        call_command("indicators", "--wilayah", kode, "--tahun", str(YEAR), "--json", stdout=out)
        data = json.loads(out.getvalue())
        xlsx = client.get(reverse("dashboard:report_xlsx", kwargs={"kode": kode, "year": YEAR}))
        sheet = openpyxl.load_workbook(BytesIO(xlsx.content))["Ringkasan"]
        cells = {row[0]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}
        for element, key, label in [("stat-jumlah-usaha", "jumlah_usaha", "Enterprises with figures"),
                                    ("stat-investasi", "investasi", "Investment excl. land and buildings"),
                                    ("stat-omzet", "omzet", "Sales (omzet)"),
                                    ("stat-nilai-produksi", "nilai_produksi", "Production value")]:
            assert stat(html, element) == data[key] == cells[gettext(label)], (kode, key)
        assert data == compute_indicators(kode, YEAR)


def test_report_downloads_are_audit_logged(world):
    client = client_for(world.personas.kab)
    before = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count()
    response = client.get(reverse("dashboard:report_xlsx", kwargs={"kode": "16.07",
                                                                   "year": YEAR}))
    assert response.status_code == 200
    row = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).order_by("-pk").first()
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count() == before + 1
    assert row.actor == world.personas.kab and row.after["wilayah"] == "16.07"
    assert row.after["format"] == "xlsx"
