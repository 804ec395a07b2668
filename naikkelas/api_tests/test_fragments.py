"""Each enterprise's JSON is kept per process and used again for the very same rows
(serializers.enterprise_fragments). After every kind of change the list and the detail must
still be, byte for byte, what the serializers render from the database now: never an old
payload, never one written with personal data for a user who may not see it."""

from decimal import Decimal
from unittest import mock

import pytest
from rest_framework.renderers import JSONRenderer

from naikkelas.api_tests.conftest import token_client
from naikkelas.api_tests.test_payloads import rendered_by_serializer, varied_enterprises
from naikkelas.core.api import FastJSONRenderer
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises import serializers, services
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.serializers import FragmentCache
from naikkelas.linkage.services import merge_enterprises

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


@pytest.fixture(autouse=True)
def _empty_fragments():
    serializers.FRAGMENTS.clear()
    yield
    serializers.FRAGMENTS.clear()


def expected_list(user) -> bytes:
    shown = list(Enterprise.objects.visible_to(user).active().order_by("id"))
    page = {"next": None, "previous": None, "results": rendered_by_serializer(user, shown)}
    return JSONRenderer().render(page)


def expected_detail(user, enterprise: Enterprise) -> bytes:
    return JSONRenderer().render(rendered_by_serializer(user, [enterprise])[0])


def assert_current(client, user, enterprise: Enterprise) -> None:
    assert client.get(LIST).content == expected_list(user)
    assert client.get(f"{LIST}{enterprise.pk}/").content == expected_detail(user, enterprise)


@pytest.fixture
def warm(personas):
    """The varied enterprises, listed and opened once by kab so every payload is kept."""
    enterprises = varied_enterprises()
    client = token_client(personas.kab)
    assert_current(client, personas.kab, enterprises[0])
    return client, enterprises


def test_a_repeated_page_is_not_written_again(warm, personas):
    client, _enterprises = warm
    first = client.get(LIST).content
    with mock.patch.object(serializers.RowWriter, "many",
                           side_effect=AssertionError("written again")):
        assert client.get(LIST).content == first == expected_list(personas.kab)


def test_an_edit_of_the_enterprise_is_shown(warm, personas):
    client, (full, *_rest) = warm
    services.update_enterprise(full, actor=personas.kab, changes={"name": "Kerupuk Baru"})
    assert_current(client, personas.kab, full)
    assert client.get(LIST).json()["results"][0]["name"] == "Kerupuk Baru"


def test_a_change_that_leaves_updated_at_alone_is_shown(warm, personas):
    """Bulk imports and merges write with update(); the key is the rows, not a timestamp."""
    client, (full, *_rest) = warm
    stamp = Enterprise.objects.get(pk=full.pk).updated_at
    Enterprise.objects.filter(pk=full.pk).update(products="kemplang", updated_at=stamp)
    AnnualReport.objects.filter(enterprise=full, year=2022).update(capacity=Decimal("7.25"))
    assert_current(client, personas.kab, full)


def test_new_changed_and_deleted_reports_are_shown(warm, personas):
    client, (full, bare, _none) = warm
    services.save_annual_report(full, actor=personas.kab, year=2023,
                                figures={"workers_male": 30, "workers_female": 4})
    assert_current(client, personas.kab, full)
    services.save_annual_report(bare, actor=personas.kab, year=2024,
                                figures={"workers_male": 1, "workers_female": 1})
    assert_current(client, personas.kab, bare)
    services.delete_annual_report(full.reports.get(year=2025), actor=personas.kab)
    assert_current(client, personas.kab, full)


def test_a_reclassification_is_shown(warm, personas):
    client, (full, *_rest) = warm
    SizeClassification.objects.filter(report__enterprise=full).update(kelas="besar",
                                                                      naik_kelas=None)
    assert_current(client, personas.kab, full)
    services.reclassify(full)
    assert_current(client, personas.kab, full)


def test_a_soft_deleted_enterprise_leaves_the_list(warm, personas):
    client, (full, bare, _none) = warm
    services.delete_enterprise(bare, actor=personas.kab)
    assert client.get(LIST).content == expected_list(personas.kab)
    assert bare.pk not in [row["id"] for row in client.get(LIST).json()["results"]]
    assert client.get(f"{LIST}{bare.pk}/").status_code == 404


def test_a_merge_is_shown(warm, personas):
    client, (full, *_rest) = warm
    other = make_enterprise("16.07.01", name="Kerupuk Sungsang (ganda)")
    make_report(other, 2024, workers_male=5)
    assert_current(client, personas.kab, other)
    merge_enterprises(full, other, actor=personas.kab)
    assert_current(client, personas.kab, full)
    assert client.get(f"{LIST}{other.pk}/").status_code == 404
    assert 2024 in [r["year"] for r in client.get(f"{LIST}{full.pk}/").json()["reports"]]


@pytest.mark.parametrize("persona", ["pimpinan", "kab_without_access"])
def test_a_user_without_personal_data_rights_never_gets_clear_text(warm, personas, persona):
    if persona == "pimpinan":
        user = personas.pimpinan
    else:
        user = personas.kab
        user.personal_data_access = False
        user.save(update_fields=["personal_data_access"])
    _client, (full, *_rest) = warm  # kept with NIK and phone in clear text
    client = token_client(user, name="tanpa data pribadi")
    assert_current(client, user, full)
    body = client.get(LIST).content.decode()
    assert full.owner_nik not in body and full.owner_phone not in body
    assert "••" in client.get(f"{LIST}{full.pk}/").json()["owner_nik"]


def test_indented_and_browsable_answers_read_the_kept_payloads_back(warm, personas):
    client, (full, *_rest) = warm
    indented = client.get(LIST, HTTP_ACCEPT="application/json; indent=2").content
    shown = list(Enterprise.objects.visible_to(personas.kab).active().order_by("id"))
    page = {"next": None, "previous": None,
            "results": rendered_by_serializer(personas.kab, shown)}
    assert indented == JSONRenderer().render(page, "application/json; indent=2")
    assert full.name in client.get(LIST, HTTP_ACCEPT="text/html").content.decode()


def test_the_cache_keeps_only_the_most_recently_used():
    cache = FragmentCache(2)
    cache.put(("a",), "A")
    cache.put(("b",), "B")
    assert cache.get(("a",)) == "A"  # now b is the oldest
    cache.put(("c",), "C")
    assert cache.get(("b",)) is None
    assert (cache.get(("a",)), cache.get(("c",))) == ("A", "C")


def test_a_page_without_any_report(personas):
    bare = make_enterprise("16.07.02", name="Belum ada laporan")
    client = token_client(personas.kab)
    assert_current(client, personas.kab, bare)


@pytest.mark.parametrize("kept", [False, True])
def test_an_enterprise_deleted_after_the_page_read_its_ids_is_left_out(warm, personas, kept):
    """A page's ids come from one query and its rows from the next: a row removed in between
    (by a merge, say) is left out of the page, on every database, kept payload or not."""
    _client, (full, bare, _none) = warm
    if not kept:
        serializers.FRAGMENTS.clear()
    ids = [full.pk, bare.pk]
    SizeClassification.objects.filter(enterprise_id=bare.pk).delete()
    AnnualReport.objects.filter(enterprise=bare).delete()
    Enterprise.objects.filter(pk=bare.pk).delete()  # before: a KeyError on SQLite
    fragments = serializers.enterprise_fragments(ids, personas.kab)
    assert FastJSONRenderer().render(fragments) == JSONRenderer().render(
        rendered_by_serializer(personas.kab, [full]))
