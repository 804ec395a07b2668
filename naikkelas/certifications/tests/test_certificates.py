"""Certificates: number formats per type, P-IRT expiry, the 90-day list, scope, indicators."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from naikkelas.certifications import services
from naikkelas.certifications.models import Certificate
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.core.validators import pirt_expiry_year, validate_pirt_number
from naikkelas.enterprises.tests.test_queries import count_queries
from naikkelas.enterprises.timeline import timeline_for

pytestmark = pytest.mark.django_db
ISSUED = datetime.date(2023, 4, 1)


def data(type_: str, number: str, **extra) -> dict:
    return {"type": type_, "number": number, "issued_on": ISSUED, **extra}


def make_certificate(enterprise, type_="halal", number="ID31110000123450423", **fields):
    return Certificate.objects.create(enterprise=enterprise, type=type_, number=number,
                                      issued_on=fields.pop("issued_on", ISSUED), **fields)


@pytest.mark.parametrize("value, ok", [
    ("206327101002527", True), ("2063271010025-27", False), ("20632710100252", False),
    ("2063271010025277", False), ("20632710100A527", False), ("", False)])
def test_pirt_number_is_15_digits(value, ok):
    if ok:
        validate_pirt_number(value)
        assert pirt_expiry_year(value) == 2027
    else:
        with pytest.raises(ValidationError):
            validate_pirt_number(value)


@pytest.mark.parametrize("type_, number, valid_until, stored, error_field", [
    ("pirt", "2063271010025-27", datetime.date(2027, 12, 31), "206327101002527", None),
    ("pirt", "2063271010025-27", datetime.date(2026, 12, 31), None, "valid_until"),  # year ≠ 27
    ("pirt", "2063271010025-29", datetime.date(2029, 1, 1), None, "valid_until"),  # > 5 years
    ("pirt", "20632710100-27", None, None, "number"),
    ("nib", "1234 5678 90123", None, "1234567890123", None),
    ("nib", "123456789012", None, None, "number"),
    ("bpom_md", "BPOM RI MD 224510001234", None, "MD 224510001234", None),
    ("bpom_md", "MD 22451000", None, None, "number"),
    ("halal", "id 3111 0000 1234 50423", None, "ID31110000123450423", None),
    ("halal", "HALAL-123", None, None, "number"),
    ("sni", "SPPT-SNI 03-2105/2024", None, "SPPT-SNI 03-2105/2024", None),  # free-form
    ("hki", "IDM000812345", None, "IDM000812345", None),
    ("halal", "ID31110000123450423", datetime.date(2023, 3, 1), None, "valid_until"),  # < issue
])
def test_number_formats_and_dates(personas, type_, number, valid_until, stored, error_field):
    enterprise = make_enterprise()
    if error_field is None:
        certificate = services.record_certificate(enterprise, actor=personas.kab, data=data(
            type_, number, valid_until=valid_until))
        assert certificate.number == stored
    else:
        with pytest.raises(ValidationError) as caught:
            services.record_certificate(enterprise, actor=personas.kab, data=data(
                type_, number, valid_until=valid_until))
        assert error_field in caught.value.message_dict
        assert not Certificate.objects.exists()


def test_changes_are_audited_in_the_enterprise_history(personas):
    enterprise = make_enterprise()
    certificate = services.record_certificate(enterprise, actor=personas.kab,
                                              data=data("nib", "1607000000123"))
    services.update_certificate(certificate, actor=personas.kab,
                                changes={"facilitated_by": "Fasilitasi NIB 2023"})
    services.delete_certificate(certificate, actor=personas.kab, reason="ganda")
    rows = AuditLog.objects.for_subject(enterprise).order_by("pk")
    assert [r.action for r in rows] == ["create", "update", "delete"]


def test_expiring_list_shows_the_next_90_days_in_scope_only(personas):
    today = timezone.localdate()
    banyuasin = make_enterprise("16.07.01", name="Usaha Kedaluwarsa Banyuasin")
    for days, label in [(-1, "SUDAHLEWAT"), (0, "HARIINI"), (45, "TENGAH"), (90, "BATAS"),
                        (91, "TERLALUJAUH")]:
        make_certificate(banyuasin, "sni", label, issued_on=today - datetime.timedelta(days=400),
                         valid_until=today + datetime.timedelta(days=days))
    make_certificate(make_enterprise("63.71.01"), "sni", "BANJAR",
                     valid_until=today + datetime.timedelta(days=10))
    url = reverse("certifications:certificate_expiring")
    text = client_for(personas.prov).get(url).content.decode()
    assert all(label in text for label in ("HARIINI", "TENGAH", "BATAS"))
    assert not any(label in text for label in ("SUDAHLEWAT", "TERLALUJAUH", "BANJAR"))
    assert text.index("HARIINI") < text.index("TENGAH") < text.index("BATAS")


def test_form_from_the_enterprise_page_keeps_input_on_error(personas):
    enterprise = make_enterprise()
    detail = client_for(personas.kab).get(enterprise.get_absolute_url()).content.decode()
    url = reverse("certifications:certificate_create", args=[enterprise.pk])
    assert url in detail
    response = client_for(personas.kab).post(url, {"type": "pirt", "number": "123",
                                                   "issued_on": "2023-04-01"})
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert 'value="123"' in response.content.decode()
    response = client_for(personas.kab).post(url, {
        "type": "pirt", "number": "2063271010025-27", "issued_on": "2023-04-01",
        "valid_until": "2027-12-31", "facilitated_by": "Bimtek PIRT 2023"})
    assert response.status_code == 302
    assert enterprise.certificates.get().facilitated_by == "Bimtek PIRT 2023"


def test_every_certificate_url_is_404_for_the_kalsel_officer(personas):
    certificate = make_certificate(make_enterprise("16.07.01"))
    other = client_for(personas.other)
    for url in (reverse("certifications:certificate_edit", args=[certificate.pk]),
                reverse("certifications:certificate_delete", args=[certificate.pk]),
                reverse("certifications:certificate_create", args=[certificate.enterprise_id]),
                reverse("api:certificate-detail", args=[certificate.pk])):
        assert other.get(url).status_code == 404, url
    assert "ID3111" not in other.get(reverse("certifications:certificate_list")).content.decode()


@pytest.mark.parametrize("url", [reverse("certifications:certificate_list"),
                                 reverse("certifications:certificate_list") + "?type=halal",
                                 reverse("certifications:certificate_expiring"),
                                 reverse("api:certificate-list")])
def test_list_queries_do_not_grow(personas, url):
    def add(n: int) -> None:
        for _ in range(n):
            make_certificate(make_enterprise(), valid_until=timezone.localdate()
                             + datetime.timedelta(days=30))
    add(2)
    client = client_for(personas.kab)
    few = count_queries(client, url)
    add(10)
    assert count_queries(client, url) == few


def test_indicator_section_counts_issued_per_type_and_year():
    banyuasin = make_enterprise("16.07.01")
    make_certificate(banyuasin, "halal")
    make_certificate(banyuasin, "nib", "1607000000123")
    make_certificate(banyuasin, "nib", "1607000000124", issued_on=datetime.date(2022, 1, 1))
    make_certificate(make_enterprise("63.71.01"), "halal")
    out = StringIO()
    call_command("indicators", wilayah="16.07", tahun="2023", as_json=True, stdout=out)
    section = json.loads(out.getvalue())["sertifikat"]
    assert section == {"nib": 1, "pirt": 0, "halal": 1, "bpom_md": 0, "sni": 0, "hki": 0,
                       "tkdn_ik": 0}


def test_timeline_lists_certificates_in_scope(personas):
    enterprise = make_enterprise()
    make_certificate(enterprise)
    entries = timeline_for(enterprise, personas.pimpinan)
    assert [(e.date, e.title) for e in entries] == [(ISSUED, "Halal ID31110000123450423")]
    assert timeline_for(enterprise, personas.other) == []
