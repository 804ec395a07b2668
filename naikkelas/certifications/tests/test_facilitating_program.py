"""Certificates and sentra support credited to a recorded program: scope, pages, API, timeline,
and the migration that linked the old free text to programs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from naikkelas.certifications import services
from naikkelas.certifications.models import Certificate
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.enterprises.timeline import timeline_for
from naikkelas.programs.migration_links import link_text_to_programs, unlink_programs
from naikkelas.programs.models import Program, ProgramType
from naikkelas.programs.tests.factories import make_program
from naikkelas.sentra import services as sentra_services
from naikkelas.sentra.models import SentraSupport
from naikkelas.sentra.testing import make_sentra

pytestmark = pytest.mark.django_db
PIRT = {"type": "pirt", "number": "206327101002527", "issued_on": datetime.date(2023, 4, 1),
        "valid_until": datetime.date(2027, 12, 31)}


@pytest.fixture
def programs(db) -> dict[str, Program]:
    kind = {"program_type": ProgramType.CERTIFICATION}
    return {"banyuasin": make_program("16.07", name="Fasilitasi SPP-IRT Banyuasin 2023", **kind),
            "sumsel": make_program("16", name="Fasilitasi Halal Sumsel 2023", **kind),
            "palembang": make_program("16.71", name="Fasilitasi SPP-IRT Palembang 2023", **kind),
            "pusat": make_program("", name="Fasilitasi HKI Ditjen IKMA 2023", **kind)}


def test_certificate_credits_a_program_and_the_audit_row_names_it(personas, programs):
    enterprise = make_enterprise("16.07.01")
    certificate = services.record_certificate(enterprise, actor=personas.kab, data={
        **PIRT, "program": programs["banyuasin"]})
    assert certificate.facilitator == "Fasilitasi SPP-IRT Banyuasin 2023"
    row = AuditLog.objects.get(object_type="certifications.certificate")
    assert row.after["program"] == programs["banyuasin"].pk
    services.update_certificate(certificate, actor=personas.prov,
                                changes={"program": programs["sumsel"]})
    update = AuditLog.objects.filter(action="update").get()
    assert (update.before["program"], update.after["program"]) == (
        programs["banyuasin"].pk, programs["sumsel"].pk)


@pytest.mark.parametrize("actor, program, code", [
    ("kab", "pusat", "program_out_of_scope"),      # a pusat program is not the kab's to credit
    ("kab", "sumsel", "program_out_of_scope"),     # nor one of the province above it
    ("prov", "palembang", "program_elsewhere"),    # visible, but run for another kota
])
def test_service_refuses_a_program_out_of_scope_or_elsewhere(personas, programs, actor,
                                                             program, code):
    enterprise = make_enterprise("16.07.01")
    with pytest.raises(ValidationError) as caught:
        services.record_certificate(enterprise, actor=getattr(personas, actor),
                                    data={**PIRT, "program": programs[program]})
    assert caught.value.error_dict["program"][0].code == code
    assert not Certificate.objects.exists() and not AuditLog.objects.exists()


def test_form_offers_only_programs_in_scope_and_refuses_others_in_indonesian(personas,
                                                                             programs):
    enterprise = make_enterprise("16.07.01")
    url = reverse("certifications:certificate_create", args=[enterprise.pk])
    page = client_for(personas.kab).get(url)
    offered = set(page.context["form"].fields["program"].queryset)
    assert offered == {programs["banyuasin"]}
    response = client_for(personas.kab).post(url, {
        "type": "pirt", "number": "206327101002527", "issued_on": "2023-04-01",
        "valid_until": "2027-12-31", "program": programs["palembang"].pk})
    assert response.status_code == 200
    assert "Program ini tidak ada di wilayah Anda" in response.context["form"].errors["program"][0]
    assert not Certificate.objects.exists()


def test_program_and_text_together_are_refused(personas, programs):
    enterprise = make_enterprise("16.07.01")
    with pytest.raises(ValidationError) as caught:
        services.record_certificate(enterprise, actor=personas.kab, data={
            **PIRT, "program": programs["banyuasin"], "facilitated_by": "Dinas Kesehatan"})
    assert "facilitated_by" in caught.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(enterprise=enterprise, program=programs["banyuasin"],
                                   facilitated_by="Dinas Kesehatan", **PIRT)


def test_editing_keeps_a_program_the_editor_cannot_choose(personas, programs):
    """Admin pusat credited a pusat program; the kab officer edits the notes and keeps it."""
    certificate = services.record_certificate(make_enterprise("16.07.01"), actor=personas.admin,
                                              data={**PIRT, "program": programs["pusat"]})
    url = reverse("certifications:certificate_edit", args=[certificate.pk])
    response = client_for(personas.kab).post(url, {
        "type": "pirt", "number": "206327101002527", "issued_on": "2023-04-01",
        "valid_until": "2027-12-31", "program": programs["pusat"].pk, "notes": "arsip"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.program, certificate.notes) == (programs["pusat"], "arsip")


def test_list_api_timeline_and_program_page_name_the_program(personas, programs):
    enterprise = make_enterprise("16.07.01", name="Keripik Cek Ani")
    mine = Certificate.objects.create(enterprise=enterprise, program=programs["banyuasin"],
                                      **PIRT)
    Certificate.objects.create(enterprise=enterprise, program=programs["pusat"],
                               **{**PIRT, "number": "206327101002627"})
    listing = client_for(personas.kab).get(reverse("certifications:certificate_list"))
    text = listing.content.decode()
    assert f'href="{programs["banyuasin"].get_absolute_url()}"' in text
    assert "Fasilitasi HKI Ditjen IKMA 2023" in text  # named, but not linked for the kab
    assert f'href="{programs["pusat"].get_absolute_url()}"' not in text
    payload = client_for(personas.kab).get(reverse("api:certificate-detail",
                                                   args=[mine.pk])).json()
    assert (payload["program"], payload["program_name"], payload["facilitated_by"]) == (
        programs["banyuasin"].pk, "Fasilitasi SPP-IRT Banyuasin 2023",
        "Fasilitasi SPP-IRT Banyuasin 2023")
    details = [e.detail for e in timeline_for(enterprise, personas.kab)]
    assert any("Fasilitasi SPP-IRT Banyuasin 2023" in d for d in details)
    page = client_for(personas.kab).get(programs["banyuasin"].get_absolute_url())
    assert list(page.context["certificates"]) == [mine]
    assert "Keripik Cek Ani" in page.content.decode()


def test_text_facilitator_keeps_the_api_key(personas):
    certificate = Certificate.objects.create(enterprise=make_enterprise(), facilitated_by="BPOM",
                                             **PIRT)
    payload = client_for(personas.kab).get(reverse("api:certificate-detail",
                                                   args=[certificate.pk])).json()
    assert (payload["program"], payload["program_name"], payload["facilitated_by"]) == (
        None, None, "BPOM")


def test_sentra_support_api_names_the_program_or_the_text(personas, programs):
    sentra = make_sentra("16.07.01")
    support = {"source": "dak", "year": 2023, "value": 1_000_000, "description": "Mesin"}
    SentraSupport.objects.create(sentra=sentra, program=programs["banyuasin"], **support)
    SentraSupport.objects.create(sentra=sentra, facilitated_by="BPOM", **{**support, "year": 2024})
    api = client_for(personas.kab).get(reverse("api:sentra-detail", args=[sentra.pk])).json()
    keys = {(row["program"], row["program_name"], row["facilitated_by"]) for row in api["support"]}
    assert keys == {(programs["banyuasin"].pk, "Fasilitasi SPP-IRT Banyuasin 2023",
                     "Fasilitasi SPP-IRT Banyuasin 2023"), (None, None, "BPOM")}


def test_sentra_support_credits_a_program_in_scope(personas, programs):
    sentra = make_sentra("16.07.01")
    data = {"source": "dak", "year": 2023, "value": 250_000_000, "description": "Rumah kemasan"}
    with pytest.raises(ValidationError) as caught:
        sentra_services.add_sentra_part(sentra, actor=personas.kab, part="support",
                                        data={**data, "program": programs["pusat"]})
    assert "program" in caught.value.error_dict
    support = sentra_services.add_sentra_part(sentra, actor=personas.kab, part="support",
                                              data={**data, "program": programs["banyuasin"]})
    response = client_for(personas.kab).post(
        reverse("sentra:support_add", args=[sentra.pk]),
        {**data, "value": "1.000.000", "program": programs["palembang"].pk})
    assert "Program ini tidak ada di wilayah Anda" in response.context["form"].errors["program"][0]
    detail = client_for(personas.kab).get(sentra.get_absolute_url()).content.decode()
    assert f'href="{programs["banyuasin"].get_absolute_url()}"' in detail
    api = client_for(personas.kab).get(reverse("api:sentra-detail", args=[sentra.pk])).json()
    assert api["support"][0]["facilitated_by"] == "Fasilitasi SPP-IRT Banyuasin 2023"
    page = client_for(personas.prov).get(programs["banyuasin"].get_absolute_url())
    assert list(page.context["sentra_support"]) == [support]
    assert not list(client_for(personas.other).get(reverse("api:sentra-list")).json()["results"])


def test_a_program_that_facilitated_cannot_be_deleted(programs):
    Certificate.objects.create(enterprise=make_enterprise(), program=programs["banyuasin"], **PIRT)
    with pytest.raises(ProtectedError):
        programs["banyuasin"].delete()


def test_migration_links_text_to_the_closest_program_of_that_name(db):
    same = "Fasilitasi SPP-IRT 2023"
    kab = make_program("16.07", name=same)
    make_program("16", name=same)               # the province's program: farther away
    make_program("16.71", name="Bimtek Kota 2023")
    make_program("16.71", name="Bimtek Kota 2023")  # two in Palembang: ambiguous
    banyuasin, palembang, banjar = (make_enterprise(k) for k in ("16.07.01", "16.71.01",
                                                                 "63.71.01"))
    rows = {key: Certificate.objects.create(enterprise=e, facilitated_by=text, **PIRT)
            for key, e, text in [("kab", banyuasin, f" {same} "), ("prov", palembang, same),
                                 ("ambiguous", palembang, "Bimtek Kota 2023"),
                                 ("elsewhere", banjar, same),
                                 ("unknown", banyuasin, "Program lama"),
                                 ("case", banyuasin, same.upper())]}
    assert link_text_to_programs(Certificate, Program, "enterprise__kecamatan_id") == 2
    found = {key: Certificate.objects.values_list("program__kode_wilayah", "facilitated_by")
             .get(pk=row.pk) for key, row in rows.items()}
    assert found == {"kab": ("16.07", ""), "prov": ("16", ""),
                     "ambiguous": (None, "Bimtek Kota 2023"), "elsewhere": (None, same),
                     "unknown": (None, "Program lama"), "case": (None, same.upper())}
    unlink_programs(Certificate, Program)
    assert Certificate.objects.get(pk=rows["kab"].pk).facilitated_by == same
    assert not Certificate.objects.exclude(program=None).exists()
    assert kab.pk  # the programs stay


def test_migration_links_sentra_support_by_the_sentra_place(db):
    program = make_program("16.07", name="DAK Rumah Kemasan 2023")
    near, far = make_sentra("16.07.01"), make_sentra("63.71.01")
    for sentra in (near, far):
        SentraSupport.objects.create(sentra=sentra, source="dak", year=2023, value=1,
                                     description="Rumah kemasan",
                                     facilitated_by="DAK Rumah Kemasan 2023")
    assert link_text_to_programs(SentraSupport, Program, "sentra__kecamatan_id") == 1
    assert SentraSupport.objects.get(sentra=near).program == program
    assert SentraSupport.objects.get(sentra=far).facilitated_by == "DAK Rumah Kemasan 2023"


def test_api_post_records_through_the_form_and_service(personas, programs):
    enterprise = make_enterprise("16.07.01")
    url = reverse("api:certificate-list")
    payload = {"enterprise": enterprise.pk, "type": "pirt", "number": "2063271010025-27",
               "issued_on": "2023-04-01", "valid_until": "2027-12-31",
               "program": programs["banyuasin"].pk}
    created = client_for(personas.kab).post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["program_name"]) == ("206327101002527",
                                                      "Fasilitasi SPP-IRT Banyuasin 2023")
    assert AuditLog.objects.get(object_type="certifications.certificate").actor == personas.kab
    refused = client_for(personas.kab).post(url, {**payload, "program": programs["pusat"].pk},
                                            content_type="application/json")
    assert refused.status_code == 400
    assert "Program ini tidak ada di wilayah Anda" in refused.json()["program"][0]
    wrong = client_for(personas.kab).post(url, {**payload, "number": "123"},
                                          content_type="application/json")
    assert wrong.status_code == 400 and "number" in wrong.json()
    elsewhere = client_for(personas.other).post(url, payload, content_type="application/json")
    assert elsewhere.status_code == 400 and "enterprise" in elsewhere.json()
    assert client_for(personas.pimpinan).post(url, payload,
                                              content_type="application/json").status_code == 403
    assert Certificate.objects.count() == 1
