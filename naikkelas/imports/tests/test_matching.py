"""Year after year: the same enterprises are found again, nothing is duplicated, nothing half-written."""

from types import SimpleNamespace

import pytest

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.signals import registry_changed
from naikkelas.imports import bulk, services
from naikkelas.imports.matching import (
    CREATE, UNCERTAIN, UPDATE, address_key, keys_of, load_registry, match, name_key)
from naikkelas.imports.models import ImportRun, ReviewItem
from naikkelas.imports.services import import_file
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_csv, write_xlsx

# The same five IKM a year later, retyped by another officer: no NIB on the pempek row, typos,
# other word order and prefixes, "Jalan" for "Jl.", and bigger figures for two of them.
HEADER_2025 = ["No.", "Nama Usaha", "Pemilik", "NIK", "NIB", "Alamat", "Kelurahan", "Kec.",
               "TK (L)", "TK (P)", "Investasi", "Omzet"]
ROWS_2025 = [
    [1, "Pempek Cek Molek", "Siti Aminah", "", "", "Jalan Merdeka 5", "Sungai Rebo",
     "Banyuasin I", 10, 15, "Rp 1.500.000.000", "Rp 3.000.000.000"],
    [2, "UD Keripik Sanjai Barokh", "Ahmad Fauzi", "", "", "Jl. Kenanga No. 12",
     "Sungai Gerong", "banyuasin 1", 1, 4, "25.000.000", "130.000.000"],
    [3, "Songket Indah CV", "Rahmawati", "", "9876543210123", "Jl. Pasar 3", "", "Betung", 1,
     6, "1.200.000.000", "2.500.000.000"],
    [4, "Roti Mawar", "Budi Santoso", "", "", "Jl Sudirman 8", "", "Talang Kelapa", 2, 2, "",
     "300.000.000"],
    [5, "Kerupuk Ikan Sungsang", "Hasanah", "", "", "Dusun II", "", "Banyuasin II", 0, 5,
     "10.000.000", "90.000.000"],
]


def _import_2024(tmp_path, actor, **options):
    grid, merges = office_sheet(ROWS_2024)
    return import_file(write_xlsx(tmp_path / "ikm-2024.xlsx", grid, merges), actor=actor,
                       wilayah="16.07", tahun=2024, **options)


def _counts() -> tuple[int, ...]:
    return (Enterprise.objects.count(), AnnualReport.objects.count(), AuditLog.objects.count(),
            ReviewItem.objects.count(), SizeClassification.objects.count())


def test_keys_ignore_prefixes_case_order_and_street_words():
    assert name_key("UD. Pempek  CEK Molek") == name_key("Cek Molek Pempek")
    assert name_key("CV Songket Indah") == name_key("Toko Songket Indah")
    assert address_key("Jl. Merdeka No.5") == address_key("Jalan Merdeka nomor 5")
    assert keys_of("name", ["Usaha Dagang Maju", "UD Maju", "TB Maju", "Industri Maju",
                            "Rumah Produksi Maju"]) == ["maju"] * 5
    # The linkage engine's vocabulary: titles of owners, RT/RW written either way.
    assert keys_of("owner", ["Hj. Siti Aminah, S.Pd.", "Aminah Siti"]) == ["aminah siti"] * 2
    assert address_key("Jl Merdeka RT.003/RW.02") == address_key("Jalan Merdeka rt 3 rw 2")


def test_two_years_of_one_kabupaten_link_the_same_enterprises(tmp_path, desa, personas):
    first = _import_2024(tmp_path, personas.kab)
    assert first.created == 5
    ids = dict(Enterprise.objects.values_list("name", "id"))
    path = write_csv(tmp_path / "ikm-2025.csv", [["DATA IKM 2025"], HEADER_2025, *ROWS_2025])
    second = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2025)
    assert (second.rows_read, second.created, second.updated, second.uncertain,
            second.rows_invalid) == (5, 0, 5, 0, 0)
    assert Enterprise.objects.count() == 5
    years = {name: sorted(AnnualReport.objects.filter(enterprise_id=pk)
                          .values_list("year", flat=True)) for name, pk in ids.items()}
    assert all(y == [2024, 2025] for y in years.values()), years
    grew = SizeClassification.objects.filter(report__year=2025, naik_kelas=True,
                                             rule="bps-tenaga-kerja")
    assert list(grew.values_list("report__enterprise_id", flat=True)) == [ids["UD Pempek Cek Molek"]]
    # The newer spelling wins; the NIB of 2024, left empty in 2025, is kept.
    pempek = Enterprise.objects.get(pk=ids["UD Pempek Cek Molek"])
    assert (pempek.name, pempek.nib) == ("Pempek Cek Molek", "1234567890123")


def _registry_state() -> tuple:
    """The enterprises, reports and classes, without the times they were written."""
    enterprises = sorted(Enterprise.objects.values_list(
        "id", "name", "nib", "address", "products", "kecamatan_id", "desa_id", "deleted_at"))
    reports = sorted(AnnualReport.objects.values_list(
        "enterprise_id", "year", "workers_male", "workers_female", "investment", "sales"))
    classes = sorted(SizeClassification.objects.values_list(
        "enterprise_id", "year", "rule", "kelas", "naik_kelas"))
    return enterprises, reports, classes


def test_undo_of_a_batch_that_updated_puts_back_what_was_there(tmp_path, desa, personas):
    _import_2024(tmp_path, personas.kab)
    before = _registry_state()
    path = write_csv(tmp_path / "ikm-2025.csv", [["DATA IKM 2025"], HEADER_2025, *ROWS_2025])
    second = import_file(path, actor=personas.kab, wilayah="16.07", tahun=2025)
    assert second.updated == 5 and _registry_state() != before
    reverted = services.undo_import(ImportRun.objects.get(pk=second.import_run),
                                    actor=personas.admin)
    assert reverted == AuditLog.objects.filter(via__startswith="impor #%d " % second.import_run
                                               ).count() > 0
    assert _registry_state() == before  # names, NIB, reports of 2024 and their classes


def test_second_import_of_the_same_file_changes_nothing(tmp_path, desa, personas):
    _import_2024(tmp_path, personas.kab)
    before = _counts()
    again = _import_2024(tmp_path, personas.kab)
    assert (again.created, again.updated, again.unchanged, again.rows_imported) == (0, 0, 5, 5)
    assert _counts() == before
    assert ImportRun.objects.count() == 2  # the history records both attempts


def test_only_rows_that_change_something_refresh_the_indicators(tmp_path, desa, personas):
    sent = []

    def receiver(sender, kecamatan_codes, years, **kwargs):
        sent.append(set(kecamatan_codes))

    registry_changed.connect(receiver)
    try:
        _import_2024(tmp_path, personas.kab)
        first, sent[:] = list(sent), []
        _import_2024(tmp_path, personas.kab)  # every row as the registry has it
    finally:
        registry_changed.disconnect(receiver)
    assert set().union(*first) == set(Enterprise.objects.values_list("kecamatan_id", flat=True))
    assert sent == []


def test_dry_run_writes_nothing_but_counts_the_same(tmp_path, desa, personas):
    dry = _import_2024(tmp_path, personas.kab, dry_run=True)
    assert (dry.rows_imported, dry.created, dry.import_run) == (5, 5, None)
    assert _counts() == (0, 0, 0, 0, 0) and ImportRun.objects.count() == 0


def test_failure_midway_writes_nothing(tmp_path, desa, personas, monkeypatch):
    """The bulk writer fails at its last statement (the audit rows): nothing stays."""
    real = bulk.Table.insert

    def failing(table, rows):
        if table.model is AuditLog:
            raise RuntimeError("disk full")
        return real(table, rows)

    monkeypatch.setattr(bulk.Table, "insert", failing)
    with pytest.raises(RuntimeError):
        _import_2024(tmp_path, personas.kab)
    assert _counts() == (0, 0, 0, 0, 0) and ImportRun.objects.count() == 0


def test_failure_midway_through_the_services_writes_nothing(tmp_path, desa, personas,
                                                            monkeypatch):
    calls = []
    real = services.save_annual_report

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "save_annual_report", failing)
    with pytest.raises(RuntimeError):
        _import_2024(tmp_path, personas.kab, bulk=False)
    assert _counts() == (0, 0, 0, 0, 0) and ImportRun.objects.count() == 0


def test_match_by_nik_and_similar_name(tmp_path, personas):
    known = make_enterprise("16.07.05", name="Bengkel Las Sinar", owner_name="Joko",
                            owner_nik="1607050101800001")
    grid = [["Nama Usaha", "Pemilik", "NIK", "Kecamatan"],
            ["Bengkel Las Sinar Jaya", "Joko S.", "1607050101800001", "Betung"]]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=None, wilayah="16.07",
                         tahun=2024)
    assert (result.updated, result.created) == (1, 0)
    assert Enterprise.objects.get(pk=known.pk).name == "Bengkel Las Sinar Jaya"


def test_uncertain_match_is_created_and_queued_for_review(tmp_path, personas):
    known = make_enterprise("16.07.05", name="Sulaman Tapis Ratu", owner_name="Dewi",
                            address="Jl. Lintas 1")
    grid = [["Nama Usaha", "Pemilik", "Alamat", "Kecamatan"],
            ["Tapis Ratu", "Dewi", "Jalan Lintas 1", "Betung"]]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=None, wilayah="16.07",
                         tahun=2024)
    assert (result.created, result.updated, result.uncertain) == (1, 0, 1)
    item = ReviewItem.objects.get()
    assert item.candidate_id == known.pk and item.enterprise_id != known.pk
    assert 75 <= item.score < 90 and item.row == 2
    assert item.import_run_id == result.import_run


def test_same_name_in_another_kecamatan_is_a_new_enterprise(tmp_path, personas):
    make_enterprise("16.07.05", name="Roti Mawar", owner_name="Budi")
    grid = [["Nama Usaha", "Pemilik", "Kecamatan"], ["Roti Mawar", "Budi", "Rambutan"]]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=None, wilayah="16.07",
                         tahun=2024)
    assert (result.created, result.updated, result.uncertain) == (1, 0, 0)


def test_names_of_legal_forms_only_are_not_alike(tmp_path, personas):
    make_enterprise("16.07.05", name="Home Industry", owner_name="Budi",
                    owner_nik="1607050101800001")
    grid = [["Nama Usaha", "Pemilik", "NIK", "Kecamatan"],
            ["UD", "Budi", "1607050101800001", "Betung"], ["Toko", "Ani", "", "Betung"]]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=None, wilayah="16.07",
                         tahun=2024)
    assert (result.created, result.updated, result.uncertain) == (2, 0, 0)


def test_decision_constants():
    assert {CREATE, UPDATE, UNCERTAIN} == {"create", "update", "uncertain"}


@pytest.mark.parametrize("use_bulk", [True, False])
def test_uncertain_match_is_in_the_duplicate_queue_of_its_wilayah(tmp_path, personas,
                                                                    use_bulk):
    from django.test import Client
    from django.urls import reverse

    from naikkelas.linkage.models import CandidateStatus, DuplicateCandidate

    known = make_enterprise("16.07.05", name="Sulaman Tapis Ratu", owner_name="Dewi",
                            address="Jl. Lintas 1")
    grid = [["Nama Usaha", "Pemilik", "Alamat", "Kecamatan"],
            ["Tapis Ratu", "Dewi", "Jalan Lintas 1", "Betung"],
            ["Roti Mawar", "Budi", "Jl. Sudirman 8", "Betung"]]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=personas.kab,
                         wilayah="16.07", tahun=2024, bulk=use_bulk)
    assert (result.created, result.uncertain) == (2, 1)
    item = ReviewItem.objects.get()
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.enterprise_a_id, candidate.enterprise_b_id) == (known.pk, item.enterprise_id)
    assert candidate.score == round(item.score / 100, 4)
    assert candidate.status == CandidateStatus.OPEN
    assert {"owner_name", "kecamatan"} <= set(candidate.agreed)
    assert "name" not in candidate.agreed
    entry = AuditLog.objects.get(object_type="linkage.duplicatecandidate")
    assert (entry.action, entry.subject_id) == (AuditLog.Action.CREATE, str(item.enterprise_id))
    assert entry.via == ImportRun.objects.get(pk=result.import_run).audit_via

    detail = reverse("linkage:candidate_detail", args=[candidate.pk])
    for user, shown in ((personas.kab, True), (personas.prov, True), (personas.other, False)):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("linkage:candidate_list")).content.decode()
        assert (detail in page) is shown, user.username
        assert client.get(detail).status_code == (200 if shown else 404)

    # Importing the same file again queues nothing more; undoing the import takes the pair away.
    import_file(write_xlsx(tmp_path / "a.xlsx", grid), actor=personas.kab, wilayah="16.07",
                tahun=2024, bulk=use_bulk)
    assert DuplicateCandidate.objects.count() == 1
    for run in ImportRun.objects.order_by("-pk"):
        services.undo_import(run, actor=personas.admin)
    assert not DuplicateCandidate.objects.exists()
    assert list(Enterprise.objects.active().values_list("pk", flat=True)) == [known.pk]


def test_each_enterprise_is_matched_once_across_rows_and_calls(personas):
    """The registry remembers what it matched: a second row with the same name finds the
    next most similar enterprise (searched only then, its candidates read late), a later
    call with the same registry finds none left."""
    first = make_enterprise("16.07.05", name="Pempek Cek Molek", address="Jl. Merdeka 5")
    typo = make_enterprise("16.07.05", name="Pempek Cek Molekk", address="Jl. Merdeka 5")
    make_enterprise("16.07.05", name="Kerupuk Ikan", address="Jl. Merdeka 5")

    def row(name):
        return SimpleNamespace(enterprise={"name": name, "kecamatan_id": "16.07.05",
                                           "address": "Jalan Merdeka 5"}, desa_text="")

    registry = load_registry("16.07")
    decisions = match([row("UD Pempek Cek Molek"), row("Pempek Cek Molek")], "16.07",
                      registry=registry)
    assert [(d.action, d.enterprise_id, d.rule) for d in decisions] == [
        (UPDATE, first.pk, "name"), (UPDATE, typo.pk, "name")]
    again = match([row("Pempek Cek Molek")], "16.07", registry=registry)
    assert [d.action for d in again] == [CREATE]
    assert match([row("Kerupuk Ikan")], "16.07", registry=registry)[0].action == UPDATE


def test_an_empty_registry_creates_everything(personas):
    rows = [SimpleNamespace(enterprise={"name": "Roti Mawar", "kecamatan_id": "16.07.05"},
                            desa_text="")]
    assert [d.action for d in match(rows, "16.07")] == [CREATE]
