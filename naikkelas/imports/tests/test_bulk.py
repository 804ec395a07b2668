"""The bulk writer leaves the registry exactly as the per-row services do.

Both paths import the same files (a first year, a retyped second year with changes, and the second
year again); after each step the enterprises, reports, classes, review items, audit rows and the
reported counts and errors must be the same, ids and timestamps aside.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.imports import bulk
from naikkelas.imports.models import ImportRun, ReviewItem
from naikkelas.imports.services import import_file
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_csv, write_xlsx
from naikkelas.imports.tests.test_matching import HEADER_2025, ROWS_2025
from naikkelas.linkage.models import DuplicateCandidate

VOLATILE = {"id", "created_at", "updated_at", "enterprise", "enterprise_id", "enterprise_a",
            "enterprise_b", "found_at"}
# Rows the registry refuses although each cell reads well: a NIB taken outside the wilayah, a NIK
# of a woman with gender L, a latitude outside Indonesia; and one that resembles a known IKM.
EXTRA_2024 = [
    ["Tenun Purun Lestari", "Yanti", "", "7777777777777", "UD", "Jl. Purun 1", "", "Betung",
     "13121", "Tikar purun", 0, 3, "5.000.000", "40.000.000", "", ""],
    ["Kopi Bubuk Mang Udin", "Udin", "1607014507850002", "", "Perorangan", "Jl. Kopi 2", "",
     "Betung", "10750", "Kopi", 1, 0, "1.000.000", "20.000.000", "", ""],
]
HEADER_EXTRA = ["Nama Usaha", "Pemilik", "Jenis Kelamin", "NIK", "Latitude", "Kecamatan"]
ROWS_EXTRA = [["Kopi Bubuk Mang Udin", "Udin", "L", "1607014507850002", "", "Betung"],
              ["Gula Aren Manis", "Sari", "P", "", "50", "Betung"],
              ["Tapis Ratu", "Dewi", "P", "", "", "Betung"]]


def _files(tmp_path):
    grid, merges = office_sheet(ROWS_2024 + EXTRA_2024)
    first = write_xlsx(tmp_path / "ikm-2024.xlsx", grid, merges)
    second = write_csv(tmp_path / "ikm-2025.csv", [["DATA IKM 2025"], HEADER_2025, *ROWS_2025])
    extra = write_csv(tmp_path / "tambahan-2025.csv", [HEADER_EXTRA, *ROWS_EXTRA], delimiter=",")
    return [(first, 2024), (second, 2025), (extra, 2025), (second, 2025)]


def _names() -> dict[int, str]:
    return dict(Enterprise.objects.values_list("id", "name"))


def _state() -> dict:
    """Everything an import writes, keyed by names instead of ids."""
    names = _names()
    reports = {r.pk: f"{names[r.enterprise_id]} {r.year}" for r in AnnualReport.objects.all()}
    strip = lambda data: data and {k: v for k, v in data.items() if k not in VOLATILE}  # noqa: E731
    return {
        "enterprises": sorted(
            tuple(sorted(strip(values).items())) for values in Enterprise.objects.values()),
        "reports": sorted((reports[r["id"]], tuple(sorted(strip(r).items())))
                          for r in AnnualReport.objects.values()),
        "classes": sorted((reports[c.report_id], c.rule, c.kelas, c.rank, str(c.naik_kelas))
                          for c in SizeClassification.objects.all()),
        "reviews": sorted((names[i.enterprise_id], names[i.candidate_id], i.row, i.score, i.rule)
                          for i in ReviewItem.objects.all()),
        "candidates": sorted((names[c.enterprise_a_id], names[c.enterprise_b_id], c.score,
                              tuple(c.agreed), c.status)
                             for c in DuplicateCandidate.objects.all()),
        "audit": sorted((a.action, a.object_type, re.sub(r"^\d+ ~ \d+", "#", a.object_repr),
                         names[int(a.subject_id)],
                         a.kode_wilayah, a.actor_label, re.sub(r"#\d+", "#", a.via), str(strip(a.before)),
                         str(strip(a.after))) for a in AuditLog.objects.all()),
    }


def _run(tmp_path, actor, *, use_bulk: bool) -> list:
    steps = []
    for path, year in _files(tmp_path):
        result = import_file(path, actor=actor, wilayah="16.07", tahun=year, bulk=use_bulk)
        steps.append(({k: v for k, v in result.as_dict().items() if k != "import_run"},
                      _state()))
    return steps


def _reset() -> None:
    for model in (DuplicateCandidate, ReviewItem, ImportRun, AuditLog, SizeClassification, AnnualReport):
        model.objects.all().delete()
    Enterprise.objects.exclude(name="Usaha Luar").delete()


@pytest.mark.django_db(transaction=False)
def test_bulk_path_writes_what_the_services_write(tmp_path, desa, personas):
    make_enterprise("63.71.03", name="Usaha Luar", nib="7777777777777")
    make_enterprise("16.07.05", name="Sulaman Tapis Ratu", owner_name="Dewi")
    reference = _run(tmp_path, personas.kab, use_bulk=False)
    _reset()
    make_enterprise("16.07.05", name="Sulaman Tapis Ratu", owner_name="Dewi")
    fast = _run(tmp_path, personas.kab, use_bulk=True)
    for (ref_result, ref_state), (result, state) in zip(reference, fast):
        assert result == ref_result
        assert state == ref_state
    first, second, extra, again = (result for result, _state in fast)
    assert (first["created"], first["rows_invalid"]) == (6, 1)
    assert (second["updated"], second["created"]) == (5, 0)
    assert extra["rows_invalid"] == 2 and extra["uncertain"] == 1
    assert len(fast[-1][1]["candidates"]) == 1
    assert (again["updated"], again["unchanged"], again["created"]) == (0, 5, 0)
    assert fast[-1][1]["audit"] == reference[-1][1]["audit"]


def test_reserved_ids_never_reuse_the_id_of_a_deleted_row(db):
    """Audit rows name enterprises by id: an id once given is never given again."""
    make_enterprise()
    gone = make_enterprise().pk
    Enterprise.objects.filter(pk=gone).delete()
    ids = bulk.reserve_ids(Enterprise, 3)
    assert len(set(ids)) == 3 and min(ids) > gone


def test_bulk_import_keeps_the_indicator_rollups_right(tmp_path, desa, personas):
    """The bulk writer signals what it touched, so the rollups equal a direct count after it."""
    from naikkelas.indicators.querysets import direct_figures
    from naikkelas.indicators.tests.test_rollups import stored

    make_enterprise("16.07.05", name="Sulaman Tapis Ratu", owner_name="Dewi")
    _run(tmp_path, personas.kab, use_bulk=True)
    assert stored("16.07", 2025, "")["totals"]["jumlah_usaha"] > 0
    for kode in ("", "16", "16.07", "16.07.05"):
        for year in (2024, 2025, 2026):
            assert stored(kode, year, "") == direct_figures(kode, year), (kode, year)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("use_bulk", [True, False])
def test_new_enterprises_keep_coordinates_and_times_exact(tmp_path, desa, personas, use_bulk):
    """Decimals and times of a new enterprise, as stored and as its audit row writes them: the
    bulk writer builds them for a whole batch (`Table.frame`), the services one by one."""
    path = write_csv(tmp_path / "koordinat.csv", [
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Latitude", "Longitude", "TK (L)"],
        ["Kerupuk Ikan Belida", "Rosidah", "Betung", "-2.9761", "104.775412", "2"],
        ["Pempek Candy", "Candy", "Betung", "", "", "1"]], delimiter=",")
    before = timezone.now()
    import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024, bulk=use_bulk)
    found = Enterprise.objects.get(name="Kerupuk Ikan Belida")
    assert (found.latitude, found.longitude) == (Decimal("-2.9761"), Decimal("104.775412"))
    assert before <= found.created_at <= found.updated_at <= timezone.now()
    plain = Enterprise.objects.get(name="Pempek Candy")
    assert (plain.latitude, plain.longitude, plain.deleted_at) == (None, None, None)
    for enterprise in (found, plain):
        entry = AuditLog.objects.get(object_type="enterprises.enterprise",
                                     object_id=str(enterprise.pk))
        assert entry.before is None and entry.subject_id == str(enterprise.pk)
        assert entry.after["created_at"] == str(enterprise.created_at)
        assert entry.after["name"] == enterprise.name
        assert entry.after["deleted_at"] is None
    entry = AuditLog.objects.get(object_id=str(found.pk), object_type="enterprises.enterprise")
    assert (entry.after["latitude"], entry.after["longitude"]) == ("-2.976100", "104.775412")
    report = AnnualReport.objects.get(enterprise=found)
    entry = AuditLog.objects.get(object_type="enterprises.annualreport", object_id=str(report.pk))
    assert entry.object_repr == "Kerupuk Ikan Belida 2024" and entry.kode_wilayah == "16.07.05"
    assert entry.after["workers_male"] == 2 and entry.after["year"] == 2024
    assert SizeClassification.objects.filter(report=report).count() >= 1


def _locked_enterprises(queries: CaptureQueriesContext) -> set[int]:
    """The ids of enterprises the captured queries locked (SELECT ... FOR UPDATE)."""
    ids = set()
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.endswith("FOR UPDATE") and 'FROM "enterprises_enterprise"' in sql:
            for listed in re.findall(r"'\{([\d,]*)\}'", sql):  # the ids, as one array
                ids.update(int(found) for found in listed.split(",") if found)
    return ids


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite has no row locks (it locks the whole database); "
                           "CI runs the suite on both")
def test_an_import_locks_only_the_enterprises_it_changes(tmp_path, desa, personas):
    """Rows already as the file says are neither written nor locked; a row that changes an
    enterprise (or its report) locks it (FOR UPDATE) before it is read for writing."""
    header = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Alamat", "TK (L)"]
    rows = [["Kerupuk Ikan Belida", "Rosidah", "Betung", "Jl. Sungai 1", "2"],
            ["Pempek Candy", "Candy", "Betung", "Jl. Pasar 2", "1"],
            ["Tenun Songket Bari", "Zubaidah", "Betung", "Jl. Tenun 3", "4"]]
    first = write_csv(tmp_path / "2024.csv", [header, *rows], delimiter=",")
    import_file(first, actor=personas.kab, wilayah="16.07", tahun=2024)
    ids = {name: pk for pk, name in _names().items()}
    with CaptureQueriesContext(connection) as unchanged:
        import_file(first, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert _locked_enterprises(unchanged) == set()
    rows[1][3] = "Jl. Pasar Baru 2"  # the enterprise changes
    rows[2][4] = "5"  # its report of the year changes
    (tmp_path / "ralat").mkdir()  # the same file name: a report's source would change
    second = write_csv(tmp_path / "ralat" / "2024.csv", [header, *rows], delimiter=",")
    with CaptureQueriesContext(connection) as changed:
        result = import_file(second, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert _locked_enterprises(changed) == {ids["Pempek Candy"], ids["Tenun Songket Bari"]}
    assert (result.unchanged, result.updated) == (1, 2)
    assert Enterprise.objects.get(pk=ids["Pempek Candy"]).address == "Jl. Pasar Baru 2"
    assert AnnualReport.objects.get(enterprise_id=ids["Tenun Songket Bari"]).workers_male == 5


@pytest.mark.parametrize("use_bulk", [True, False])
def test_an_amount_past_the_database_is_rejected_and_the_rest_imported(tmp_path, desa, personas,
                                                                       use_bulk):
    path = write_csv(tmp_path / "besar.csv", [
        ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Investasi", "TK (L)"],
        ["Kerupuk Ikan Belida", "Rosidah", "Betung", "99999999999999999999", "2"],
        ["Pempek Candy", "Candy", "Betung", "5.000.000", "99999999999999999999"],
        ["Tenun Songket Bari", "Zubaidah", "Betung", "5.000.000", "3"]], delimiter=",")
    result = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2024, bulk=use_bulk)
    assert (result.created, result.rows_invalid) == (1, 2)
    assert [e.row for e in result.errors] == [2, 3]
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Tenun Songket Bari"]


def test_an_enterprise_deleted_during_the_import_rejects_its_row(tmp_path, desa, personas,
                                                                 monkeypatch):
    """Matched when the import began, gone when its batch is written: the row is refused with
    a reason, not counted as unchanged, and the other rows are imported."""
    from naikkelas.imports import matching

    header = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Alamat"]
    rows = [["Kerupuk Ikan Belida", "Rosidah", "Betung", "Jl. Sungai 1"],
            ["Pempek Candy", "Candy", "Betung", "Jl. Pasar 2"]]
    first = write_csv(tmp_path / "2024.csv", [header, *rows], delimiter=",")
    import_file(first, actor=personas.kab, wilayah="16.07", tahun=2024)
    loaded = matching.load_registry

    def load_then_delete(kode):
        registry = loaded(kode)
        Enterprise.objects.filter(name="Pempek Candy").delete()  # another user, meanwhile
        return registry

    monkeypatch.setattr(matching, "load_registry", load_then_delete)
    rows[0][3], rows[1][3] = "Jl. Sungai Baru 1", "Jl. Pasar Baru 2"
    (tmp_path / "ralat").mkdir()
    second = write_csv(tmp_path / "ralat" / "2024.csv", [header, *rows], delimiter=",")
    result = import_file(second, actor=personas.kab, wilayah="16.07", tahun=2024)
    assert (result.updated, result.unchanged, result.rows_invalid) == (1, 0, 1)
    assert result.errors[0].row == 3 and "dihapus saat impor berjalan" in result.errors[0].message
    assert Enterprise.objects.get(name="Kerupuk Ikan Belida").address == "Jl. Sungai Baru 1"
