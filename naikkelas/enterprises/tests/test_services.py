"""The write layer: audit rows, validation, scope, roles, soft delete, naik kelas, identifiers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.core.validators import validate_nik
from naikkelas.enterprises import services
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.services import (
    delete_annual_report, delete_enterprise, register_enterprise, restore_enterprise,
    save_annual_report, update_enterprise,
)
from naikkelas.wilayah.models import Wilayah

NIB = "1234567890123"
NIK_WOMAN = "1607014101900042"  # kecamatan 16.07.01, born 01-01-1990 (41 = 1 + 40), serial 0042
BPS = "bps-tenaga-kerja"


def enterprise_data(**overrides) -> dict:
    """Valid data for register_enterprise: a pempek maker in Banyuasin I (16.07.01)."""
    return {"name": "Pempek Bu Sari", "owner_name": "Sari", "kecamatan_id": "16.07.01",
            "products": "pempek", **overrides}


def audit_rows(obj) -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type=obj._meta.label_lower,
                                        object_id=str(obj.pk)).order_by("id"))


def naik_kelas(enterprise: Enterprise, year: int, rule: str = BPS) -> bool | None:
    return SizeClassification.objects.get(report__enterprise=enterprise, report__year=year,
                                          rule=rule).naik_kelas


@pytest.fixture
def banyuasin(db) -> Enterprise:
    """An enterprise in Kabupaten Banyuasin, arranged without an audit row."""
    return make_enterprise("16.07.01", name="Kerupuk Ikan Banyuasin", nib=NIB)


# --- one audit row per change, in the same transaction -----------------------------------------


def test_register_writes_one_create_row(personas):
    enterprise = register_enterprise(actor=personas.kab, data=enterprise_data(nib=NIB))
    [row] = audit_rows(enterprise)
    assert row.action == AuditLog.Action.CREATE
    assert row.actor == personas.kab and row.kode_wilayah == "16.07.01"
    assert row.before is None and row.after["nib"] == NIB


def test_update_writes_one_row_with_before_and_after(personas, banyuasin):
    update_enterprise(banyuasin, actor=personas.prov, changes={"name": "Kerupuk Ikan Sari"})
    [row] = audit_rows(banyuasin)
    assert row.action == AuditLog.Action.UPDATE
    assert row.before["name"] == "Kerupuk Ikan Banyuasin"
    assert row.after["name"] == "Kerupuk Ikan Sari"
    assert [change[0] for change in row.changes()] == ["name", "updated_at"]


def test_update_without_a_change_writes_nothing(personas, banyuasin):
    update_enterprise(banyuasin, actor=personas.kab, changes={"name": banyuasin.name})
    assert audit_rows(banyuasin) == []


def test_system_actor_is_recorded_as_sistem(banyuasin):
    update_enterprise(banyuasin, actor=None, changes={"products": "kerupuk"})
    [row] = audit_rows(banyuasin)
    assert row.actor is None and row.actor_label == "sistem"


def test_change_is_undone_when_the_audit_row_fails(personas, banyuasin, monkeypatch):
    def broken_record(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services.audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        update_enterprise(banyuasin, actor=personas.kab, changes={"name": "Tidak tersimpan"})
    with pytest.raises(RuntimeError):
        register_enterprise(actor=personas.kab, data=enterprise_data(name="Tidak tersimpan"))
    assert not Enterprise.objects.filter(name="Tidak tersimpan").exists()


def test_audit_row_is_undone_when_a_later_step_fails(personas, banyuasin, monkeypatch):
    def broken_reclassify(enterprise):
        raise RuntimeError("reclassify failed")

    monkeypatch.setattr(services, "reclassify", broken_reclassify)
    with pytest.raises(RuntimeError):
        save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"sales": 1})
    assert not AnnualReport.objects.filter(enterprise=banyuasin).exists()
    assert not AuditLog.objects.exists()


def test_annual_report_rows_are_kept_in_the_enterprise_history(personas, banyuasin):
    report = save_annual_report(banyuasin, actor=personas.kab, year=2024,
                                figures={"workers_male": 3, "sales": 400_000_000})
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"sales": 500_000_000})
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"sales": 500_000_000})
    created, updated = audit_rows(report)
    assert created.action == AuditLog.Action.CREATE and created.before is None
    assert updated.before["sales"] == 400_000_000 and updated.after["sales"] == 500_000_000
    assert AuditLog.objects.for_subject(banyuasin).count() == 2


# --- failed validation changes nothing -----------------------------------------------------------


@pytest.mark.parametrize("changes", [
    {"nib": "12345"},
    {"nib": "12345678901ab"},
    {"owner_nik": "1607014101900000"},
    {"name": ""},
    {"founded_year": 1899},
])
def test_invalid_update_leaves_the_record_and_the_log_alone(personas, banyuasin, changes):
    with pytest.raises(ValidationError):
        update_enterprise(banyuasin, actor=personas.kab, changes=changes)
    stored = Enterprise.objects.get(pk=banyuasin.pk)
    assert (stored.nib, stored.name, stored.owner_nik) == (NIB, banyuasin.name, "")
    assert not AuditLog.objects.exists()


def test_invalid_registration_saves_nothing(personas):
    with pytest.raises(ValidationError) as error:
        register_enterprise(actor=personas.kab, data=enterprise_data(nib="12345"))
    assert "nib" in error.value.message_dict
    assert not Enterprise.objects.exists() and not AuditLog.objects.exists()


@pytest.mark.parametrize("figures", [
    {"sales": -1},
    {"investment": -500},
    {"working_capital": -1},
    {"workers_male": -1},
])
def test_invalid_figures_leave_the_old_report_alone(personas, banyuasin, figures):
    report = make_report(banyuasin, 2024, sales=300_000_000, workers_male=2)
    with pytest.raises(ValidationError):
        save_annual_report(banyuasin, actor=personas.kab, year=2024, figures=figures)
    stored = AnnualReport.objects.get(pk=report.pk)
    assert (stored.sales, stored.workers_male, stored.investment) == (300_000_000, 2, 50_000_000)
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize("year", [1899, 2101])
def test_year_outside_the_range_is_refused(personas, banyuasin, year):
    with pytest.raises(ValidationError):
        save_annual_report(banyuasin, actor=personas.kab, year=year, figures={"sales": 1})
    assert not AnnualReport.objects.exists()


def test_locked_fields_cannot_be_set(personas, banyuasin):
    with pytest.raises(ValueError):
        update_enterprise(banyuasin, actor=personas.kab, changes={"deleted_at": None})
    with pytest.raises(ValueError):
        save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"year": 2025})


# --- scope and roles -----------------------------------------------------------------------------


def test_other_province_gets_not_found(personas, banyuasin):
    with pytest.raises(Http404):
        update_enterprise(banyuasin, actor=personas.other, changes={"name": "Diambil alih"})
    with pytest.raises(Http404):
        delete_enterprise(banyuasin, actor=personas.other)
    with pytest.raises(Http404):
        save_annual_report(banyuasin, actor=personas.other, year=2024, figures={"sales": 1})
    with pytest.raises(Http404):
        register_enterprise(actor=personas.other, data=enterprise_data())
    assert Enterprise.objects.get(pk=banyuasin.pk).name == "Kerupuk Ikan Banyuasin"
    assert not AuditLog.objects.exists()


def test_pimpinan_may_not_change_anything(personas, banyuasin):
    with pytest.raises(PermissionDenied):
        update_enterprise(banyuasin, actor=personas.pimpinan, changes={"name": "Baru"})
    with pytest.raises(PermissionDenied):
        delete_enterprise(banyuasin, actor=personas.pimpinan)
    with pytest.raises(PermissionDenied):
        save_annual_report(banyuasin, actor=personas.pimpinan, year=2024, figures={"sales": 1})
    with pytest.raises(PermissionDenied):
        register_enterprise(actor=personas.pimpinan, data=enterprise_data())
    assert not AuditLog.objects.exists()


def test_kabupaten_operator_cannot_move_an_enterprise_out_of_scope(personas, banyuasin):
    with pytest.raises(Http404):
        update_enterprise(banyuasin, actor=personas.kab, changes={"kecamatan_id": "16.71.15"})
    assert Enterprise.objects.get(pk=banyuasin.pk).kecamatan_id == "16.07.01"


def test_provinsi_operator_may_move_within_the_province(personas, banyuasin):
    update_enterprise(banyuasin, actor=personas.prov, changes={"kecamatan_id": "16.71.15"})
    [row] = audit_rows(banyuasin)
    assert (row.before["kecamatan"], row.after["kecamatan"]) == ("16.07.01", "16.71.15")


def test_desa_must_lie_in_the_kecamatan(personas):
    Wilayah.objects.create(kode="63.71.01.1001", nama="Kelurahan uji", level=4,
                           parent_id="63.71.01")
    with pytest.raises(ValidationError):
        register_enterprise(actor=personas.kab, data=enterprise_data(desa_id="63.71.01.1001"))


def test_scope_of_changes_matches_scope_of_lists(personas):
    Wilayah.objects.create(kode="63.71.01.1001", nama="Kelurahan uji", level=4,
                           parent_id="63.71.01")
    enterprise = make_enterprise("16.07.01", desa_id="63.71.01.1001")
    assert not Enterprise.objects.visible_to(personas.other).filter(pk=enterprise.pk).exists()
    with pytest.raises(Http404):
        update_enterprise(enterprise, actor=personas.other, changes={"name": "Diambil alih"})


# --- soft delete and restore ---------------------------------------------------------------------


def test_soft_delete_hides_from_active_and_from_reports(personas, banyuasin):
    make_report(banyuasin, 2024)
    delete_enterprise(banyuasin, actor=personas.kab, reason="tutup usaha")
    assert not Enterprise.objects.active().filter(pk=banyuasin.pk).exists()
    assert Enterprise.objects.deleted().filter(pk=banyuasin.pk).exists()
    assert not AnnualReport.objects.in_wilayah("16.07").exists()
    [row] = audit_rows(banyuasin)
    assert row.action == AuditLog.Action.DELETE and row.reason == "tutup usaha"
    assert row.before["deleted_at"] is None and row.after["deleted_at"]


@pytest.mark.parametrize("who", ["kab", "prov", "pimpinan", "other"])
def test_only_admin_pusat_may_restore(personas, banyuasin, who):
    delete_enterprise(banyuasin, actor=personas.kab)
    with pytest.raises(PermissionDenied):
        restore_enterprise(banyuasin, actor=getattr(personas, who))
    assert Enterprise.objects.deleted().filter(pk=banyuasin.pk).exists()
    assert len(audit_rows(banyuasin)) == 1


def test_admin_pusat_restores(personas, banyuasin):
    delete_enterprise(banyuasin, actor=personas.kab)
    restore_enterprise(banyuasin, actor=personas.admin, reason="salah hapus")
    assert Enterprise.objects.active().filter(pk=banyuasin.pk).exists()
    deleted, restored = audit_rows(banyuasin)
    assert restored.action == AuditLog.Action.RESTORE and restored.actor == personas.admin
    assert restored.before["deleted_at"] and restored.after["deleted_at"] is None


# --- annual reports and naik kelas ---------------------------------------------------------------


def test_next_year_sets_naik_kelas(personas, banyuasin):
    save_annual_report(banyuasin, actor=personas.kab, year=2023, figures={"workers_male": 3})
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"workers_male": 10})
    assert naik_kelas(banyuasin, 2023) is None  # no 2022: unknown, not "no"
    assert naik_kelas(banyuasin, 2024) is True


def test_changing_a_year_recomputes_the_next(personas, banyuasin):
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"workers_male": 10})
    save_annual_report(banyuasin, actor=personas.kab, year=2023, figures={"workers_male": 3})
    assert naik_kelas(banyuasin, 2024) is True
    save_annual_report(banyuasin, actor=personas.kab, year=2023, figures={"workers_male": 12})
    assert naik_kelas(banyuasin, 2024) is False


def test_deleting_a_year_recomputes_the_next(personas, banyuasin):
    save_annual_report(banyuasin, actor=personas.kab, year=2023, figures={"workers_male": 3})
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"workers_male": 10})
    delete_annual_report(AnnualReport.objects.get(enterprise=banyuasin, year=2023),
                         actor=personas.kab)
    assert naik_kelas(banyuasin, 2024) is None


def test_a_gap_year_is_not_naik_kelas(personas, banyuasin):
    save_annual_report(banyuasin, actor=personas.kab, year=2022, figures={"workers_male": 3})
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={"workers_male": 10})
    assert naik_kelas(banyuasin, 2024) is None


def test_each_rule_gets_its_own_class(personas, banyuasin):
    save_annual_report(banyuasin, actor=personas.kab, year=2024, figures={
        "workers_male": 20, "investment": 2_000_000_000, "sales": 3_000_000_000})
    classes = dict(SizeClassification.objects.filter(report__enterprise=banyuasin)
                   .values_list("rule", "kelas"))
    # no working capital given: no class under the modal rule
    assert classes == {"permenperin-64-2016": "menengah", "pp-7-2021-omzet": "kecil",
                       "bps-tenaga-kerja": "sedang"}


# --- identifiers ---------------------------------------------------------------------------------


def test_nib_is_unique(personas, banyuasin):
    with pytest.raises(ValidationError):
        register_enterprise(actor=personas.kab, data=enterprise_data(nib=NIB))
    other = make_enterprise("16.07.01")
    with pytest.raises(ValidationError):
        update_enterprise(other, actor=personas.kab, changes={"nib": NIB})
    assert Enterprise.objects.filter(nib=NIB).count() == 1


def test_many_enterprises_may_lack_a_nib(personas):
    register_enterprise(actor=personas.kab, data=enterprise_data(nib=None))
    register_enterprise(actor=personas.kab, data=enterprise_data(nib=None))
    assert Enterprise.objects.filter(nib__isnull=True).count() == 2


@pytest.mark.parametrize("nik", [
    NIK_WOMAN,
    "1607010101900042",  # a man born on the same day
    "1607017112990001",  # a woman born on 31 December 1999 (31 + 40)
    "1607013112990001",  # a man born on 31 December 1999
])
def test_valid_nik(db, nik):
    validate_nik(nik)


@pytest.mark.parametrize(("nik", "code"), [
    ("160701410190004", "nik_length"),
    ("16070141019000421", "nik_length"),
    ("16070141019000a2", "nik_digits"),
    ("1607 0141 0190 0042", "nik_digits"),
    ("1607010001900042", "nik_birthdate"),  # day 00
    ("1607013201900042", "nik_birthdate"),  # day 32
    ("1607014001900042", "nik_birthdate"),  # day 40: neither a man's nor a woman's day
    ("1607017201900042", "nik_birthdate"),  # day 72 = 32 + 40
    ("1607014100900042", "nik_birthdate"),  # month 00
    ("1607014113900042", "nik_birthdate"),  # month 13
    ("1607014101900000", "nik_serial"),
    ("9907014101900042", "nik_region"),  # no provinsi 99
    ("1607994101900042", "nik_region"),  # no kecamatan 16.07.99
])
def test_invalid_nik(db, nik, code):
    assert not Wilayah.objects.filter(kode="16.07.99").exists()
    with pytest.raises(ValidationError) as error:
        validate_nik(nik)
    assert error.value.code == code


def test_nik_birth_date_must_exist(db):
    with pytest.raises(ValidationError):
        validate_nik("1607017102900042")  # a woman born on 31 February 1990


def test_registration_checks_the_owner_nik(personas):
    enterprise = register_enterprise(actor=personas.kab, data=enterprise_data(
        owner_nik=NIK_WOMAN, owner_gender="P"))
    assert enterprise.owner_nik == NIK_WOMAN
    with pytest.raises(ValidationError) as error:
        register_enterprise(actor=personas.kab, data=enterprise_data(
            owner_nik="1607994101900042"))
    assert "owner_nik" in error.value.message_dict


def test_deleting_twice_or_restoring_an_active_enterprise_is_refused(personas, banyuasin):
    delete_enterprise(banyuasin, actor=personas.kab)
    with pytest.raises(ValidationError):
        delete_enterprise(Enterprise.objects.get(pk=banyuasin.pk), actor=personas.kab)
    restore_enterprise(Enterprise.objects.get(pk=banyuasin.pk), actor=personas.admin)
    with pytest.raises(ValidationError):
        restore_enterprise(Enterprise.objects.get(pk=banyuasin.pk), actor=personas.admin)
    assert [r.action for r in AuditLog.objects.for_subject(banyuasin).order_by("at", "id")] == [
        "delete", "restore"]


def test_deleted_enterprise_takes_no_new_figures(personas, banyuasin):
    delete_enterprise(banyuasin, actor=personas.kab)
    with pytest.raises(ValidationError):
        save_annual_report(Enterprise.objects.get(pk=banyuasin.pk), actor=personas.kab,
                           year=2024, figures={"workers_male": 3})
    assert not AnnualReport.objects.filter(enterprise=banyuasin).exists()
