"""The duplicate queue pages: scope, roles, masking, decisions, query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naikkelas.linkage.models import CandidateStatus, DuplicateCandidate, MergeRecord
from naikkelas.linkage.tests.conftest import make_pair
from naikkelas.core.testing import client_for

pytestmark = pytest.mark.django_db


def test_list_shows_the_pairs_in_scope_only(personas, pair):
    elsewhere = make_pair("16.71.01")
    page = client_for(personas.kab).get(reverse("linkage:candidate_list")).content.decode()
    assert reverse("linkage:candidate_detail", args=[pair.pk]) in page
    assert reverse("linkage:candidate_detail", args=[elsewhere.pk]) not in page
    other = client_for(personas.other).get(reverse("linkage:candidate_list")).content.decode()
    assert "Pempek Cek Mala" not in other


def test_list_filters_by_status_and_score(personas, pair):
    client = client_for(personas.kab)
    url = reverse("linkage:candidate_list")
    assert "Pempek Cek Mala" in client.get(url + "?min_score=0.9").content.decode()
    assert "Pempek Cek Mala" not in client.get(url + "?min_score=0.99").content.decode()
    assert "Pempek Cek Mala" not in client.get(url + "?status=merged").content.decode()
    assert client.get(url + "?min_score=dua").status_code == 200


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_the_pairs(personas, pair):
    client = client_for(personas.kab)
    url = reverse("linkage:candidate_list")
    few = count_queries(client, url)
    for _ in range(8):
        make_pair()
    assert count_queries(client, url) == few <= 12


def test_comparison_masks_personal_data_for_pimpinan(personas, pair):
    url = reverse("linkage:candidate_detail", args=[pair.pk])
    officer = client_for(personas.kab).get(url).content.decode()
    assert "1607014508900042" in officer and "081234567890" in officer
    boss = client_for(personas.pimpinan).get(url)
    text = boss.content.decode()
    assert boss.status_code == 200
    assert "1607014508900042" not in text and "081234567890" not in text
    assert 'id="merge-form"' not in text  # read only


def test_out_of_scope_is_404(personas, pair):
    client = client_for(personas.other)
    for name in ("linkage:candidate_detail", "linkage:candidate_merge",
                 "linkage:candidate_dismiss"):
        assert client.get(reverse(name, args=[pair.pk])).status_code == 404
        assert client.post(reverse(name, args=[pair.pk])).status_code == 404
    assert DuplicateCandidate.objects.get().status == CandidateStatus.OPEN


def test_pimpinan_may_not_decide(personas, pair):
    client = client_for(personas.pimpinan)
    assert client.post(reverse("linkage:candidate_merge", args=[pair.pk])).status_code == 403
    assert client.post(reverse("linkage:candidate_dismiss", args=[pair.pk])).status_code == 403
    assert not MergeRecord.objects.exists()


def test_bukan_duplikat_is_remembered(personas, pair):
    client = client_for(personas.kab)
    response = client.post(reverse("linkage:candidate_dismiss", args=[pair.pk]))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.NOT_DUPLICATE and pair.decided_by == personas.kab
    listed = client.get(reverse("linkage:candidate_list")).content.decode()
    assert reverse("linkage:candidate_detail", args=[pair.pk]) not in listed
    again = client.post(reverse("linkage:candidate_dismiss", args=[pair.pk]), follow=True)
    assert "sudah diputuskan" in again.content.decode()


def test_merge_from_the_page_keeps_the_chosen_record_and_can_be_undone(personas, pair):
    client = client_for(personas.kab)
    url = reverse("linkage:candidate_merge", args=[pair.pk])
    response = client.post(url, {"survivor": pair.enterprise_b_id})
    assert response.status_code == 302
    record = MergeRecord.objects.get()
    assert record.survivor == pair.enterprise_b and record.other == pair.enterprise_a
    assert client.post(url, {"survivor": 999999}).status_code in (302, 400)
    undo = reverse("linkage:merge_undo", args=[record.pk])
    assert client.get(undo).status_code == 200
    assert client.post(undo).status_code == 302
    record.refresh_from_db()
    assert record.unmerged_at is not None
    assert client_for(personas.other).post(undo).status_code == 404
