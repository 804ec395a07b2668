"""Undoing an import: what it takes away, what it refuses to take, and at what cost."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.financing.models import Loan
from naikkelas.imports import services
from naikkelas.imports.models import ImportRun
from naikkelas.imports.services import UndoRefused, import_file
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_csv, write_xlsx
from naikkelas.indicators.models import Rollup
from naikkelas.programs.models import AidDelivery, Participation
from naikkelas.programs.tests.factories import make_delivery, make_participation, make_program

pytestmark = pytest.mark.django_db


def _import(tmp_path, personas, rows=ROWS_2024, name="ikm.xlsx") -> ImportRun:
    grid, merges = office_sheet(rows)
    result = import_file(write_xlsx(tmp_path / name, grid, merges), actor=personas.kab,
                         wilayah="16.07", tahun=2024)
    return ImportRun.objects.get(pk=result.import_run)


def _many(count: int) -> list[list]:
    return [[f"Usaha Olahan Nomor {i}", f"Pemilik {i}", "", "", "UD", f"Jl. Pasar {i}", "",
             "Banyuasin I", "10750", "Pempek", 1, 2, "25.000.000", "90.000.000", "", ""]
            for i in range(count)]


@pytest.mark.parametrize("attach", ["participation", "aid", "loan"])
def test_records_attached_to_a_new_enterprise_refuse_the_undo(tmp_path, desa, personas, attach):
    # They are audited under their program or loan, not the enterprise: before, the undo
    # deleted them with the enterprise, silently.
    run = _import(tmp_path, personas)
    pempek = Enterprise.objects.get(name="UD Pempek Cek Molek")
    program = make_program("16.07")
    if attach == "participation":
        make_participation(program, pempek)
    elif attach == "aid":
        make_delivery(program, pempek)
    else:
        Loan.objects.create(enterprise=pempek, lender="BRI", scheme="mikro", plafon=10_000_000,
                            akad_date=datetime.date(2024, 3, 1), tenor_months=12, rate=6)
    label = {"participation": "kepesertaan", "aid": "penyerahan bantuan",
             "loan": "pinjaman"}[attach]
    with pytest.raises(UndoRefused, match=f"(?i)akan ikut terhapus.*{label}.*: 1\\)"):
        services.undo_import(run, actor=personas.admin)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Enterprise.objects.count() == 5
    assert (Participation.objects.count() + AidDelivery.objects.count()
            + Loan.objects.count()) == 1


def test_a_value_stored_before_todays_rules_does_not_block_the_undo(tmp_path, desa, personas):
    # A phone the form would refuse now: the undo puts it back as it was. Before, it checked
    # the whole record against today's rules and failed (a server error).
    old = make_enterprise("16.07.01", name="UD Pempek Cek Molek", nib="1234567890123",
                          owner_phone="12345", products="Pempek lama")
    run = _import(tmp_path, personas)
    old.refresh_from_db()
    assert old.products == "Pempek"
    services.undo_import(run, actor=personas.admin)
    old.refresh_from_db()
    assert (old.products, old.owner_phone) == ("Pempek lama", "12345")


def test_a_change_that_cannot_be_put_back_is_refused_with_a_message(tmp_path, desa, personas):
    old = make_enterprise("16.07.01", name="UD Pempek Cek Molek", nib="1234567890123",
                          products="Pempek lama")
    run = _import(tmp_path, personas)
    # The import took the NIB away (a new one in the file); another enterprise has it now.
    change = AuditLog.objects.filter(via=run.audit_via, object_type="enterprises.enterprise",
                                     object_id=str(old.pk))
    change.update(before={**change.get().before, "nib": "7777777777777"})
    make_enterprise("16.07.02", name="Usaha Lain", nib="7777777777777")
    with pytest.raises(UndoRefused) as refused:
        services.undo_import(run, actor=personas.admin)
    assert str(refused.value) == (
        "'UD Pempek Cek Molek' tidak dapat dikembalikan seperti semula: NIB ini sudah terdaftar "
        "untuk usaha lain. Tidak ada yang dibatalkan.")
    old.refresh_from_db()
    assert old.products == "Pempek" and Enterprise.objects.count() == 6


def test_only_the_fields_a_change_wrote_are_put_back(tmp_path, desa, personas):
    old = make_enterprise("16.07.01", name="UD Pempek Cek Molek", nib="1234567890123",
                          products="Pempek lama", address="Jl. Lama 1")
    run = _import(tmp_path, personas)
    # Set outside the registry's services (no audit row): a field the import did not write
    # stays as it is now. Before, the whole snapshot was put back.
    Enterprise.objects.filter(pk=old.pk).update(founded_year=2001)
    services.undo_import(run, actor=personas.admin)
    old.refresh_from_db()
    assert (old.products, old.address, old.founded_year) == ("Pempek lama", "Jl. Lama 1", 2001)


def test_undo_writes_a_delete_row_for_every_report_and_enterprise(tmp_path, desa, personas):
    run = _import(tmp_path, personas)
    reports = {str(pk): year for pk, year in AnnualReport.objects.values_list("pk", "year")}
    assert services.undo_import(run, actor=personas.admin) == 10
    deleted = AuditLog.objects.filter(action="delete")
    assert sorted(deleted.filter(object_type="enterprises.annualreport")
                  .values_list("object_id", flat=True)) == sorted(reports)
    assert deleted.filter(object_type="enterprises.enterprise").count() == 5
    assert {row.before["year"] for row in deleted.filter(object_type="enterprises.annualreport")
            } == set(reports.values())
    assert all(row.via.startswith("pembatalan impor #") and row.actor == personas.admin
               for row in deleted)
    assert not (Enterprise.objects.exists() or AnnualReport.objects.exists()
                or SizeClassification.objects.exists())
    assert not Rollup.objects.filter(tahun=2024, jumlah_usaha__gt=0).exists()


def test_the_queries_of_an_undo_do_not_grow_with_its_new_enterprises(tmp_path, desa, personas):
    counts = []
    for size in (5, 60):
        run = _import(tmp_path, personas, _many(size), name=f"ikm-{size}.xlsx")
        with CaptureQueriesContext(connection) as queries:
            assert services.undo_import(run, actor=personas.admin) == 2 * size
        counts.append(len(queries))
    # Before: about 20 queries more for each enterprise. Now the same statements, a batch of
    # 2,000 enterprises each; SQLite splits a long INSERT of audit rows by its parameter limit.
    assert counts[1] - counts[0] <= 2, counts


def test_undoing_one_import_leaves_another_imports_enterprises(tmp_path, desa, personas):
    first = _import(tmp_path, personas, _many(3), name="a.xlsx")
    grid = [["NO", "NAMA USAHA", "NAMA PEMILIK", "KECAMATAN"], [1, "Keripik Lain", "Ani", "Betung"]]
    import_file(write_csv(tmp_path / "b.csv", grid), actor=personas.kab, wilayah="16.07",
                tahun=2024)
    services.undo_import(first, actor=personas.admin)
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Keripik Lain"]


def test_a_later_import_that_was_undone_does_not_stand_in_the_way(tmp_path, desa, personas):
    first = _import(tmp_path, personas)
    changed = [[*row[:9], f"{row[9]} istimewa", *row[10:]] for row in ROWS_2024]
    second = _import(tmp_path, personas, changed, name="ikm-revisi.xlsx")
    assert Enterprise.objects.filter(products__endswith="istimewa").count() == 5
    with pytest.raises(UndoRefused, match="perubahan"):
        services.undo_import(first, actor=personas.admin)  # the second one's changes stand
    services.undo_import(second, actor=personas.admin)
    assert services.undo_import(first, actor=personas.admin) == 10  # refused before
    assert not Enterprise.objects.exists()


def test_an_undo_in_several_chunks_puts_back_and_takes_every_enterprise(tmp_path, desa,
                                                                        personas, monkeypatch):
    first = _import(tmp_path, personas)  # 5 enterprises
    changed = [[*row[:9], f"{row[9]} istimewa", *row[10:]] for row in ROWS_2024]
    second = _import(tmp_path, personas, [*changed, *_many(3)], name="ikm-revisi.xlsx")
    monkeypatch.setattr(services, "UNDO_CHUNK", 2)  # 10 changes and 3 new: chunks of 2
    changes = AuditLog.objects.filter(via=second.audit_via, action="update").count()
    assert changes == 10  # each enterprise, and its report (the file's name is its source)
    services.undo_import(second, actor=personas.admin)
    undone = AuditLog.objects.filter(via__startswith="pembatalan impor #%d " % second.pk)
    assert undone.filter(action="update").count() == changes
    assert undone.filter(action="delete", object_type="enterprises.enterprise").count() == 3
    assert not Enterprise.objects.filter(products__endswith="istimewa").exists()
    assert Enterprise.objects.count() == 5
    assert services.undo_import(first, actor=personas.admin) == 10
    assert not Enterprise.objects.exists()


STOPPED = "Pembatalan terhenti karena kesalahan tak terduga; tidak ada yang dibatalkan."


@pytest.mark.parametrize("stop", [ZeroDivisionError, SystemExit, KeyboardInterrupt])
def test_an_undo_task_that_stops_leaves_the_import_done_and_says_so(tmp_path, desa, personas,
                                                                    monkeypatch, stop):
    # A crash, or the worker told to stop (SystemExit, ^C): the run was left "being undone",
    # with no way to undo it again.
    run = _import(tmp_path, personas)
    services.queue_undo(run, actor=personas.admin)  # its task waits for the commit

    def stopped(*_args, **_kwargs):
        raise stop

    monkeypatch.setattr(services, "_discard_created", stopped)
    with pytest.raises(stop):
        services.run_queued_undo(run.pk, user_id=personas.admin.pk, language="id")
    run.refresh_from_db()
    assert (run.status, run.undo_refused) == ("done", STOPPED)
    assert Enterprise.objects.count() == 5


def test_an_undo_whose_admin_lost_the_right_is_refused_not_crashed(tmp_path, desa, personas):
    run = _import(tmp_path, personas)
    services.queue_undo(run, actor=personas.admin)
    personas.admin.role = "operator_kabkota"
    personas.admin.save()
    services.run_queued_undo(run.pk, user_id=personas.admin.pk, language="id")  # no raise
    run.refresh_from_db()
    assert run.status == "done" and run.undo_refused.startswith("Hanya admin pusat")


def test_an_undo_that_cannot_be_queued_leaves_the_import_done(tmp_path, desa, personas,
                                                              monkeypatch,
                                                              django_capture_on_commit_callbacks):
    from naikkelas.imports import tasks

    run = _import(tmp_path, personas)

    def refused(*_args):
        raise ConnectionError

    monkeypatch.setattr(tasks, "run_undo", SimpleNamespace(enqueue=refused))
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        services.queue_undo(run, actor=personas.admin)
    run.refresh_from_db()
    assert (run.status, run.undo_refused) == (
        "done", "Pembatalan tidak dapat dimulai; tidak ada yang dibatalkan.")
