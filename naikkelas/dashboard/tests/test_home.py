"""The home page shows the headline indicators of the user's own wilayah, and nothing of others'."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role, User
from naikkelas.core.testing import (
    Personas, built_once, make_enterprise, make_personas, make_report, make_user,
)
from naikkelas.indicators.services import compute_indicators

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard:home")
STATS = {  # element id -> where compute_indicators keeps the number
    "stat-jumlah-usaha": ("jumlah_usaha",),
    "stat-tenaga-kerja": ("tenaga_kerja", "total"),
    "stat-investasi": ("investasi",),
    "stat-omzet": ("omzet",),
}


@dataclass
class World:
    personas: Personas
    lampung: User  # an operator of a provinsi without any data


def build_world() -> World:
    """Distinct, recognisable figures per region, so a number from elsewhere would stand out."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = World(make_personas(), make_user("op_lampung", Role.OPERATOR_PROVINSI, "18"))
    for n, kecamatan in enumerate(["16.07.01", "16.07.01", "16.07.02"]):
        enterprise = make_enterprise(kecamatan)
        make_report(enterprise, 2023, workers_male=3, workers_female=1,
                    investment=111_111_000, sales=222_222_000)
        make_report(enterprise, 2024, workers_male=4 + 20 * n, workers_female=3,
                    investment=1_234_567_000 + n, sales=7_654_321_000 + n)
    gone = make_enterprise("16.07.01", deleted_at=timezone.now())
    make_report(gone, 2024, workers_male=900, investment=9_999_999_000)
    palembang = make_enterprise("16.71.01")
    make_report(palembang, 2024, workers_male=11, workers_female=13, investment=333_000_001,
                sales=444_000_001)
    banjarmasin = make_enterprise("63.71.01")
    make_report(banjarmasin, 2024, workers_male=5, workers_female=8, investment=555_000_003,
                sales=666_000_003)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with built_once(django_db_blocker, build_world) as built:
        yield built


def home(user: User, query: str = "") -> tuple[str, dict]:
    client = Client()
    client.force_login(user)
    response = client.get(HOME + query)
    assert response.status_code == 200
    return response.content.decode(), response.context


def stat(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"no #{element_id} on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def expected(indicators: dict, path: tuple[str, ...]) -> int:
    value = indicators
    for key in path:
        value = value[key]
    return value


@pytest.mark.parametrize("persona, kode", [
    ("kab", "16.07"), ("pimpinan", "16.07"), ("prov", "16"), ("admin", ""), ("other", "63"),
])
@pytest.mark.parametrize("year", [2024, 2023])
def test_headline_numbers_are_the_indicators_of_the_users_wilayah(world, persona, kode, year):
    query = "" if year == 2024 else f"?tahun={year}"
    html, context = home(getattr(world.personas, persona), query)
    indicators = compute_indicators(kode, year)
    assert context["year"] == year
    for element_id, path in STATS.items():
        assert stat(html, element_id) == expected(indicators, path), element_id


def test_banyuasin_numbers(world):
    html, _context = home(world.personas.kab)
    assert stat(html, "stat-jumlah-usaha") == 3              # the deleted one is not counted
    assert stat(html, "stat-tenaga-kerja") == 3 * 7 + 20 + 40
    assert stat(html, "stat-investasi") == 3 * 1_234_567_000 + 3
    assert stat(html, "stat-omzet") == 3 * 7_654_321_000 + 3


def test_class_table_matches_the_indicators(world):
    html, _context = home(world.personas.kab)
    indicators = compute_indicators("16.07", 2024)
    for rule_id, classes in indicators["kelas"].items():
        row = re.search(rf'<tr data-rule="{re.escape(rule_id)}">(.*?)</tr>', html, re.S).group(1)
        for kelas, count in classes.items():
            assert f"{kelas}: {intcomma(count)}<" in row
        naik = re.search(r'naik_kelas=ya">([^<]*)<', row).group(1)
        assert int(naik) == indicators["naik_kelas"][rule_id]


def test_other_province_sees_none_of_banyuasins_numbers(world):
    html, _context = home(world.personas.other)
    banyuasin = compute_indicators("16.07", 2024)
    sumsel = compute_indicators("16", 2024)
    for figures in (banyuasin, sumsel):
        for key in ("investasi", "omzet"):
            assert intcomma(figures[key]) not in html
        assert stat(html, "stat-tenaga-kerja") != figures["tenaga_kerja"]["total"]
    assert stat(html, "stat-investasi") == 555_000_003


def test_kab_operator_does_not_get_the_neighbouring_kota(world):
    html, _context = home(world.personas.kab)
    assert intcomma(333_000_001) not in html
    assert stat(html, "stat-investasi") == compute_indicators("16.07", 2024)["investasi"]


def test_user_without_data_sees_the_empty_state(world):
    html, context = home(world.lampung)
    assert context["year"] is None and context["indicators"] is None
    assert 'id="headline"' not in html and 'id="stat-jumlah-usaha"' not in html
    assert reverse("enterprises:enterprise_create") in html  # an editor is invited to register


def test_year_without_figures_shows_zero(world):
    html, context = home(world.personas.kab, "?tahun=2019")
    assert context["year"] == 2019
    assert all(stat(html, element_id) == 0 for element_id in STATS)


def test_unusable_year_falls_back_to_the_latest(world):
    _html, context = home(world.personas.kab, "?tahun=abc")
    assert context["year"] == 2024
