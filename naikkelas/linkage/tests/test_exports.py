"""The duplicate queue as .xlsx and .csv: the filtered pairs, the score a number, only pairs in
the user's wilayah, and no NIK or phone (the list shows names and agreeing fields only)."""

import pytest
from django.test import Client

from naikkelas.core.testing import make_enterprise
from naikkelas.core.tests.test_exports import export_queries, exported
from naikkelas.linkage.models import DuplicateCandidate

pytestmark = pytest.mark.django_db
NIK = "1607014508900042"


def pair(kecamatan: str, name: str, score: float, **fields) -> DuplicateCandidate:
    a = make_enterprise(kecamatan, name=f"{name} A", owner_nik=NIK, owner_phone="081234567890")
    b = make_enterprise(kecamatan, name=f"{name} B", owner_nik=NIK, owner_phone="081234567890")
    return DuplicateCandidate.objects.create(enterprise_a=a, enterprise_b=b, score=score,
                                             agreed=["owner_nik", "name"], **fields)


def test_candidate_list_exports_the_filtered_pairs_in_scope(personas):
    high = pair("16.07.01", "Pempek", 0.93)
    pair("16.07.02", "Songket", 0.55)
    pair("16.07.02", "Kopi", 0.97, status="not_duplicate")  # not in the default (open) queue
    pair("63.71.01", "Sasirangan", 0.99)
    client = Client()
    client.force_login(personas.kab)
    xlsx, text = exported(client, "linkage:candidate_list_export", {"min_score": "0.8"})
    assert [row["Usaha A"] for row in xlsx] == ["Pempek A"]
    assert xlsx[0]["ID pasangan"] == high.pk and xlsx[0]["Skor"] == 0.93
    assert xlsx[0]["ID usaha B"] == high.enterprise_b_id and xlsx[0]["Status"] == "terbuka"
    assert text[0]["Skor"] == "0.93" and "NIK" in text[0]["Yang cocok"]
    xlsx, text = exported(client, "linkage:candidate_list_export")
    assert [row["Usaha A"] for row in text] == ["Pempek A", "Songket A"]  # highest score first
    assert not any(NIK in str(value) or "0812" in str(value) for row in xlsx + text
                   for value in row.values())


def test_export_queries_do_not_grow_with_rows(personas):
    pair("16.07.01", "Pempek", 0.93)
    client = Client()
    client.force_login(personas.kab)
    before = export_queries(client, "linkage:candidate_list_export")
    pair("16.07.02", "Songket", 0.85)
    pair("16.07.02", "Kopi", 0.75)
    assert export_queries(client, "linkage:candidate_list_export") == before
