"""The write layer: budget rule, eligibility rule, prospects, KUB groups, participants."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs import services
from naikkelas.programs.models import AidDelivery, KubMember, Participation, Program, ProgramType
from naikkelas.programs.querysets import EligibilityRule, earlier_aid
from naikkelas.programs.tests.factories import (
    make_delivery, make_kub, make_participation, make_program, make_prospect,
)

pytestmark = pytest.mark.django_db

PROGRAM = {"name": "Bimtek Pempek Higienis", "program_type": ProgramType.BIMTEK,
           "organiser_level": "kabkota", "kode_wilayah": "16.07", "budget_source": "apbd",
           "pagu": 50_000_000, "start_date": datetime.date(2024, 3, 4),
           "end_date": datetime.date(2024, 3, 6)}
ITEMS = [{"name": "Oven gas", "quantity": 1, "unit_value": 4_500_000, "brand": "Hock",
          "serial": "HK-001"}]


def paperwork(bast=datetime.date(2024, 7, 1)) -> dict:
    return {"sk_number": "SK/12/2024", "sk_date": bast, "bast_number": "BAST/7/2024",
            "bast_date": bast}


def test_create_program_is_audited(personas):
    program = services.create_program(actor=personas.kab, data=PROGRAM)
    row = AuditLog.objects.get(object_type="programs.program", object_id=str(program.pk))
    assert (row.action, row.kode_wilayah, row.actor) == ("create", "16.07", personas.kab)


def test_realisasi_above_pagu_needs_a_reason(personas):
    with pytest.raises(ValidationError) as refused:
        services.create_program(actor=personas.kab, data={**PROGRAM, "realisasi": 60_000_000})
    assert "realisasi_reason" in refused.value.error_dict
    assert not Program.objects.exists()
    program = services.create_program(actor=personas.kab, data={
        **PROGRAM, "realisasi": 60_000_000, "realisasi_reason": "Revisi anggaran (APBD-P)"})
    assert program.realisasi == 60_000_000


def test_realisasi_within_pagu_needs_no_reason(personas):
    program = services.create_program(actor=personas.kab, data={**PROGRAM,
                                                                "realisasi": 50_000_000})
    assert program.realisasi_reason == ""


def test_organiser_wilayah_must_fit_level_and_scope(personas):
    with pytest.raises(ValidationError) as refused:
        services.create_program(actor=personas.prov, data={**PROGRAM, "kode_wilayah": "16"})
    assert "kode_wilayah" in refused.value.error_dict
    with pytest.raises(Http404):
        services.create_program(actor=personas.other, data=PROGRAM)
    with pytest.raises(PermissionDenied):
        services.create_program(actor=personas.pimpinan, data=PROGRAM)


def test_participant_outside_the_organiser_wilayah_is_refused(personas):
    program = make_program("16.07")
    palembang = make_enterprise("16.71.01")
    with pytest.raises(ValidationError):
        services.add_participant(program, actor=personas.prov, participant=palembang)
    pusat = make_program("")
    assert services.add_participant(pusat, actor=personas.admin, participant=palembang)


def test_participant_registered_once(personas):
    program = make_program()
    enterprise = make_enterprise()
    services.add_participant(program, actor=personas.kab, participant=enterprise)
    with pytest.raises(ValidationError):
        services.add_participant(program, actor=personas.kab, participant=enterprise)
    assert Participation.objects.count() == 1


def test_attendance_and_certificate_are_audited(personas):
    participation = make_participation(make_program(), make_enterprise())
    services.record_attendance(participation, actor=personas.kab, changes={
        "status": "lulus", "days_present": 3, "certificate_number": "SRT/001",
        "certificate_date": datetime.date(2023, 5, 3)})
    row = AuditLog.objects.get(object_type="programs.participation")
    assert row.before["status"] == "terdaftar" and row.after["certificate_number"] == "SRT/001"


# --- the eligibility rule --------------------------------------------------------------------

def test_same_aid_from_another_organiser_within_n_years_is_refused_without_reason(personas):
    enterprise = make_enterprise("16.07.01")
    pusat = make_program("", program_type=ProgramType.EQUIPMENT, name="Bantuan Mesin Pusat")
    make_delivery(pusat, enterprise, bast_date=datetime.date(2023, 9, 1))
    ours = make_program("16.07", program_type=ProgramType.EQUIPMENT)
    with pytest.raises(services.NotEligible) as refused:
        services.deliver_aid(ours, actor=personas.kab, recipient=enterprise,
                             paperwork=paperwork(), items=ITEMS)
    assert "override_reason" in refused.value.error_dict
    assert "1 kali menerima bantuan sejenis" in " ".join(refused.value.messages)
    assert AidDelivery.objects.filter(program=ours).count() == 0


def test_override_with_reason_is_audited(personas):
    enterprise = make_enterprise("16.07.01")
    other_office = make_program("16.71", program_type=ProgramType.EQUIPMENT)
    make_delivery(other_office, enterprise, bast_date=datetime.date(2023, 9, 1))
    ours = make_program("16.07", program_type=ProgramType.EQUIPMENT)
    delivery = services.deliver_aid(ours, actor=personas.kab, recipient=enterprise,
                                    paperwork=paperwork(), items=ITEMS,
                                    override_reason="Mesin lama rusak terbakar")
    row = AuditLog.objects.get(object_type="programs.aiddelivery", object_id=str(delivery.pk))
    assert row.reason == "Mesin lama rusak terbakar"
    assert row.after["items"][0]["name"] == "Oven gas"
    assert delivery.total_value() == 4_500_000


def test_other_kind_or_older_aid_does_not_count(personas):
    enterprise = make_enterprise("16.07.01")
    make_delivery(make_program("16.07", program_type=ProgramType.RESTRUCTURING), enterprise,
                  bast_date=datetime.date(2024, 1, 10))
    make_delivery(make_program("16.07", program_type=ProgramType.EQUIPMENT), enterprise,
                  bast_date=datetime.date(2022, 6, 30))  # more than two years before
    ours = make_program("16.07", program_type=ProgramType.EQUIPMENT)
    delivery = services.deliver_aid(ours, actor=personas.kab, recipient=enterprise,
                                    paperwork=paperwork(), items=ITEMS)
    assert delivery.override_reason == ""
    assert AuditLog.objects.get(object_id=str(delivery.pk),
                                object_type="programs.aiddelivery").reason == ""


def test_rule_is_configurable(settings):
    settings.NAIKKELAS_AID_RULE_YEARS = 3
    settings.NAIKKELAS_AID_RULE_KIND = "any"
    enterprise = make_enterprise("16.07.01")
    make_delivery(make_program("16.07", program_type=ProgramType.RESTRUCTURING), enterprise,
                  bast_date=datetime.date(2021, 8, 1))
    on = datetime.date(2024, 7, 1)
    assert earlier_aid(enterprise, ProgramType.EQUIPMENT, on).count() == 1
    two_years = EligibilityRule(years=2, kind="any")
    assert earlier_aid(enterprise, ProgramType.EQUIPMENT, on, two_years).count() == 0


def test_aid_to_kub_group_is_checked_for_the_group(personas):
    group = make_kub("16.07.01")
    make_delivery(make_program("16.07", program_type=ProgramType.EQUIPMENT), group,
                  bast_date=datetime.date(2024, 2, 1))
    ours = make_program("16.07", program_type=ProgramType.EQUIPMENT)
    with pytest.raises(services.NotEligible):
        services.deliver_aid(ours, actor=personas.kab, recipient=group, paperwork=paperwork(),
                             items=ITEMS)


def test_aid_needs_items_and_bast_after_sk(personas):
    ours = make_program("16.07", program_type=ProgramType.EQUIPMENT)
    enterprise = make_enterprise("16.07.01")
    with pytest.raises(ValidationError):
        services.deliver_aid(ours, actor=personas.kab, recipient=enterprise,
                             paperwork=paperwork(), items=[])
    late_sk = {**paperwork(), "sk_date": datetime.date(2024, 8, 1)}
    with pytest.raises(ValidationError):
        services.deliver_aid(ours, actor=personas.kab, recipient=enterprise, paperwork=late_sk,
                             items=ITEMS)
    assert not AidDelivery.objects.exists()


# --- prospects and KUB groups ----------------------------------------------------------------

def test_promote_prospect_registers_enterprise_and_moves_participations(personas):
    prospect = make_prospect("16.07.01", name="Rina Marlina", nik="1607014508900042")
    participation = make_participation(make_program(program_type=ProgramType.WUB), prospect)
    group = make_kub("16.07.01", members=[prospect])
    enterprise = services.promote_prospect(prospect, actor=personas.kab, data={
        "name": "Kue Basah Rina", "products": "kue basah"})
    assert (enterprise.owner_name, enterprise.owner_nik, enterprise.kecamatan_id) == (
        "Rina Marlina", "1607014508900042", "16.07.01")
    participation.refresh_from_db()
    assert (participation.enterprise, participation.prospect) == (enterprise, None)
    assert KubMember.objects.get(group=group).enterprise == enterprise
    prospect.refresh_from_db()
    assert prospect.enterprise == enterprise
    assert AuditLog.objects.filter(object_type="enterprises.enterprise", action="create").exists()
    with pytest.raises(ValidationError):
        services.promote_prospect(prospect, actor=personas.kab, data={"name": "Lagi"})


def test_promotion_that_fails_changes_nothing(personas):
    prospect = make_prospect("16.07.01")
    with pytest.raises(ValidationError):
        services.promote_prospect(prospect, actor=personas.kab, data={"name": "X",
                                                                      "nib": "123"})
    prospect.refresh_from_db()
    assert prospect.enterprise is None and not Enterprise.objects.exists()


def test_prospect_nik_is_validated(personas):
    with pytest.raises(ValidationError) as refused:
        services.register_prospect(actor=personas.kab, data={
            "nik": "1607011234", "name": "Andi", "kecamatan_id": "16.07.01"})
    assert "nik" in refused.value.error_dict


def test_kub_membership(personas):
    group = services.create_kub_group(actor=personas.kab, data={
        "name": "KUB Tenun Songket", "kecamatan_id": "16.07.01"})
    enterprise, prospect = make_enterprise("16.07.02"), make_prospect("16.07.01")
    services.add_kub_member(group, actor=personas.kab, member=enterprise)
    services.add_kub_member(group, actor=personas.kab, member=prospect)
    with pytest.raises(ValidationError):
        services.add_kub_member(group, actor=personas.kab, member=enterprise)
    with pytest.raises(Http404):
        services.add_kub_member(group, actor=personas.kab, member=make_enterprise("16.71.01"))
    assert {str(m) for m in group.members.all()} == {enterprise.name, prospect.name}
    assert AuditLog.objects.filter(object_type="programs.kubmember",
                                   subject_id=str(group.pk)).count() == 2


def test_kub_group_as_participant(personas):
    group = make_kub("16.07.01", members=[make_enterprise("16.07.01")])
    program = make_program()
    participation = services.add_participant(program, actor=personas.kab, participant=group)
    assert participation.participant == group and participation.kode_wilayah == "16.07.01"
