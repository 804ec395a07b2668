"""Merging two enterprises and undoing it: reports, every referencing row, history, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.apps import apps
from django.db import connection, models
from django.http import Http404

from naikkelas.core.audit import snapshot
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.linkage import services
from naikkelas.linkage.models import CandidateStatus, MergeRecord
from naikkelas.linkage.querysets import history_of

pytestmark = pytest.mark.django_db


def state(*enterprises: Enterprise) -> dict:
    """Everything a merge may touch, to compare before and after an unmerge."""
    ids = [e.pk for e in enterprises]
    return {
        "enterprises": [_without(snapshot(e), "updated_at")
                        for e in Enterprise.objects.filter(pk__in=ids).order_by("pk")],
        "reports": [_without(snapshot(r), "updated_at", "created_at") for r in
                    AnnualReport.objects.filter(enterprise_id__in=ids).order_by("pk")],
        "classes": sorted(SizeClassification.objects.filter(report__enterprise_id__in=ids)
                          .values_list("report__enterprise_id", "report__year", "rule", "kelas")),
    }


def _without(data: dict, *names: str) -> dict:
    return {k: v for k, v in data.items() if k not in names}


@pytest.fixture
def two(personas, pair):
    survivor, other = pair.enterprise_a, pair.enterprise_b
    make_report(survivor, 2023, workers_male=3)
    make_report(survivor, 2024, workers_male=4)
    make_report(other, 2024, workers_male=9, sales=900_000_000)
    make_report(other, 2022, workers_male=2)
    return personas, pair, survivor, other


def test_merge_keeps_every_report_and_soft_deletes_the_other(two):
    personas, pair, survivor, other = two
    nib = other.nib
    record = services.merge_candidate(pair, actor=personas.kab, survivor=survivor)
    other.refresh_from_db()
    survivor.refresh_from_db()
    assert other.deleted_at is not None
    years = dict(survivor.reports.values_list("year", "workers_male"))
    assert years == {2022: 2, 2023: 3, 2024: 4}  # the survivor's own 2024 wins
    kept = record.dropped[0]["values"]
    assert (kept["year"], kept["workers_male"], kept["sales"]) == (2024, 9, 900_000_000)
    assert survivor.nib == nib  # an empty field filled from the other
    assert other.nib is None
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.MERGED and pair.decided_by == personas.kab
    assert SizeClassification.objects.filter(report__enterprise=survivor,
                                             report__year=2022).exists()


def test_merge_and_unmerge_are_audited_and_history_stays_findable(two):
    personas, pair, survivor, other = two
    AuditLog.objects.create(actor=personas.kab, actor_label="x", action="update",
                            object_type="enterprises.enterprise", object_id=str(other.pk),
                            object_repr="lama", subject_type="enterprises.enterprise",
                            subject_id=str(other.pk), kode_wilayah=other.kode_wilayah)
    record = services.merge_enterprises(survivor, other, actor=personas.kab)
    history = history_of(survivor)
    assert history.filter(subject_id=str(other.pk), object_repr="lama").exists()
    assert history.filter(object_type="linkage.mergerecord", action="create").exists()
    assert AuditLog.objects.filter(object_id=str(other.pk), action="delete").exists()
    services.unmerge_enterprises(record, actor=personas.kab)
    assert AuditLog.objects.filter(object_id=str(other.pk), action="restore").exists()
    assert not history_of(survivor).filter(subject_id=str(other.pk)).exists()


def test_unmerge_restores_exactly(two):
    personas, pair, survivor, other = two
    before = state(survivor, other)
    record = services.merge_candidate(pair, actor=personas.kab, survivor=survivor)
    assert state(survivor, other) != before
    services.unmerge_enterprises(record, actor=personas.kab)
    assert state(survivor, other) == before
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.OPEN
    with pytest.raises(ValidationError):
        services.unmerge_enterprises(record, actor=personas.kab)


def participation_model() -> type[models.Model]:
    """A table of another app pointing at Enterprise, as programs or financing will have."""

    class Meta:
        app_label = "linkage"
        constraints = [models.UniqueConstraint(fields=["enterprise", "program"],
                                               name="test_participation_once")]

    return type("TestParticipation", (models.Model,), {
        "__module__": __name__, "Meta": Meta, "program": models.CharField(max_length=20),
        "enterprise": models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")})


@pytest.fixture
def participation_table():
    """Registered only for this test, then removed from the app registry again."""
    model = participation_model()
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield model
    with connection.schema_editor() as editor:
        editor.delete_model(model)
    del apps.all_models["linkage"]["testparticipation"]
    apps.clear_cache()


# Creating a table needs a transactional test on SQLite; the serialized rollback puts the
# regions and KBLI of the data migrations back afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_of_other_apps_are_found_and_repointed(two, participation_table):
    personas, pair, survivor, other = two
    Participation = participation_table
    assert any(f.model is Participation for f in services.referencing_fields())
    Participation.objects.create(enterprise=survivor, program="bimtek-2024")
    Participation.objects.create(enterprise=other, program="bimtek-2024")  # clashes
    moved = Participation.objects.create(enterprise=other, program="halal-2025")
    before = sorted(Participation.objects.values_list("pk", "enterprise_id", "program"))
    record = services.merge_enterprises(survivor, other, actor=personas.kab)
    assert set(Participation.objects.values_list("enterprise_id", flat=True)) == {survivor.pk}
    assert Participation.objects.filter(pk=moved.pk, enterprise=survivor).exists()
    services.unmerge_enterprises(record, actor=personas.kab)
    assert sorted(Participation.objects.values_list("pk", "enterprise_id", "program")) == before


def test_only_editors_in_scope_may_merge(two):
    personas, pair, survivor, other = two
    with pytest.raises(PermissionDenied):
        services.merge_enterprises(survivor, other, actor=personas.pimpinan)
    with pytest.raises(Http404):
        services.merge_enterprises(survivor, other, actor=personas.other)
    assert not MergeRecord.objects.exists()


def test_an_enterprise_elsewhere_cannot_be_merged_in(personas, pair):
    elsewhere = make_enterprise("16.71.01", name="Pempek Cek Mala")
    with pytest.raises(Http404):
        services.merge_enterprises(pair.enterprise_a, elsewhere, actor=personas.kab)
    with pytest.raises(ValidationError):
        services.merge_enterprises(pair.enterprise_a, pair.enterprise_a, actor=personas.kab)


def test_a_decided_pair_cannot_be_merged(personas, pair):
    services.mark_not_duplicate(pair, actor=personas.kab)
    with pytest.raises(ValidationError):
        services.merge_candidate(pair, actor=personas.kab, survivor=pair.enterprise_a)


def test_every_class_names_its_reports_enterprise_after_a_merge_and_an_unmerge(two):
    """SizeClassification.enterprise copies the report's and has no constraint of its own:
    the copy must follow the reports a merge moves, and back."""
    personas, pair, survivor, other = two

    def strays() -> list:
        return list(SizeClassification.objects.exclude(
            enterprise_id=models.F("report__enterprise_id")).values_list("id", flat=True))

    record = services.merge_candidate(pair, actor=personas.kab, survivor=survivor)
    assert strays() == []
    assert SizeClassification.objects.filter(enterprise=survivor, year=2022).exists()
    services.unmerge_enterprises(record, actor=personas.kab)
    assert strays() == []
    assert SizeClassification.objects.filter(enterprise=other, year=2022).exists()
