"""The sentra lifecycle: usulan → terbentuk → ditetapkan, each step audited, others refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from naikkelas.core.models import AuditLog
from naikkelas.sentra import services
from naikkelas.sentra.models import Sentra, SentraStatus
from naikkelas.sentra.testing import PDF, make_sentra

pytestmark = pytest.mark.django_db
FORMED = datetime.date(2023, 2, 1)
SK = {"sk_number": "188.45/123/KPTS/2023", "sk_date": datetime.date(2023, 9, 4)}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "sk.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def designate(sentra: Sentra, actor, **changes) -> Sentra:
    return services.advance_sentra_status(sentra, actor=actor, status="ditetapkan",
                                          **{**SK, "sk_document": pdf(), **changes})


def test_register_starts_as_usulan_and_is_audited(personas):
    sentra = services.register_sentra(actor=personas.kab, data={
        "name": "Sentra Kemplang", "komoditas": "kemplang", "kecamatan_id": "16.07.02"})
    assert sentra.status == SentraStatus.USULAN
    row = AuditLog.objects.for_subject(sentra).get()
    assert (row.action, row.actor, row.kode_wilayah) == ("create", personas.kab, "16.07.02")


def test_register_refuses_the_status_fields(personas):
    with pytest.raises(ValueError):
        services.register_sentra(actor=personas.kab, data={
            "name": "S", "komoditas": "k", "kecamatan_id": "16.07.02", "status": "ditetapkan"})


def test_full_lifecycle_writes_one_audit_row_per_step(personas):
    sentra = make_sentra()
    services.advance_sentra_status(sentra, actor=personas.kab, status="terbentuk",
                                   formed_on=FORMED)
    sentra = designate(sentra, personas.kab)
    assert sentra.status == SentraStatus.DITETAPKAN
    assert sentra.sk_document.read() == PDF
    assert sentra.sk_document.name.startswith("sentra/sk/16.07/sk-sentra")
    rows = list(AuditLog.objects.for_subject(sentra).order_by("pk"))
    assert [(r.before["status"], r.after["status"]) for r in rows] == [
        ("usulan", "terbentuk"), ("terbentuk", "ditetapkan")]
    assert rows[1].after["sk_number"] == SK["sk_number"]
    assert "terbentuk → ditetapkan" in rows[1].reason


def codes(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


@pytest.mark.parametrize("current, target, code", [
    ("usulan", "ditetapkan", "invalid_step"),
    ("usulan", "usulan", "invalid_step"),
    ("terbentuk", "usulan", "invalid_step"),
    ("terbentuk", "terbentuk", "invalid_step"),
    ("ditetapkan", "terbentuk", "final_status"),
    ("ditetapkan", "usulan", "final_status"),
    ("usulan", "dibubarkan", "unknown_status"),
])
def test_invalid_transitions_are_refused_with_a_message(personas, current, target, code):
    sentra = make_sentra(status=current)
    with pytest.raises(ValidationError) as caught:
        services.advance_sentra_status(sentra, actor=personas.kab, status=target,
                                       formed_on=FORMED, **SK, sk_document=pdf())
    assert codes(caught.value, "status") == [code]
    assert caught.value.message_dict["status"][0]
    sentra.refresh_from_db()
    assert sentra.status == current
    assert not AuditLog.objects.for_subject(sentra).exists()


def test_terbentuk_needs_the_date_formed(personas):
    with pytest.raises(ValidationError) as caught:
        services.advance_sentra_status(make_sentra(), actor=personas.kab, status="terbentuk")
    assert "formed_on" in caught.value.message_dict


@pytest.mark.parametrize("missing", ["sk_number", "sk_date", "sk_document"])
def test_ditetapkan_needs_number_date_and_document(personas, missing):
    sentra = make_sentra(status="terbentuk")
    with pytest.raises(ValidationError) as caught:
        designate(sentra, personas.kab, **{missing: "" if missing == "sk_number" else None})
    assert codes(caught.value, missing) == ["required"]
    sentra.refresh_from_db()
    assert sentra.status == SentraStatus.TERBENTUK and not sentra.sk_document


def test_sk_date_cannot_precede_the_date_formed(personas):
    sentra = make_sentra(status="terbentuk", formed_on=FORMED)
    with pytest.raises(ValidationError) as caught:
        designate(sentra, personas.kab, sk_date=FORMED - datetime.timedelta(days=1))
    assert codes(caught.value, "sk_date") == ["sk_before_formed"]


@pytest.mark.parametrize("upload, code", [
    (pdf("sk.docx"), "document_type"),
    (pdf("sk.pdf", b"MZ not a pdf at all"), "document_content"),
    (pdf("sk.png", PDF), "document_content"),
])
def test_sk_document_must_be_a_real_pdf_or_image(personas, upload, code):
    sentra = make_sentra(status="terbentuk")
    with pytest.raises(ValidationError) as caught:
        designate(sentra, personas.kab, sk_document=upload)
    assert codes(caught.value, "sk_document") == [code]


def test_sk_document_size_is_limited(personas, settings):
    settings.NAIKKELAS_DOCUMENT_MAX_BYTES = 1024
    sentra = make_sentra(status="terbentuk")
    with pytest.raises(ValidationError) as caught:
        designate(sentra, personas.kab, sk_document=pdf(content=PDF + b"0" * 2048))
    assert codes(caught.value, "sk_document") == ["document_size"]


def test_an_image_is_accepted_as_sk_document(personas):
    sentra = designate(make_sentra(status="terbentuk"), personas.kab,
                       sk_document=SimpleUploadedFile("sk.PNG", PNG, content_type="image/png"))
    assert sentra.sk_document.name.endswith(".png")


def test_pimpinan_cannot_and_other_province_does_not_see(personas):
    sentra = make_sentra()
    with pytest.raises(PermissionDenied):
        services.advance_sentra_status(sentra, actor=personas.pimpinan, status="terbentuk",
                                       formed_on=FORMED)
    with pytest.raises(Http404):
        services.advance_sentra_status(sentra, actor=personas.other, status="terbentuk",
                                       formed_on=FORMED)


def test_update_cannot_move_a_sentra_with_members_to_another_kabkota(personas):
    from naikkelas.core.testing import make_enterprise
    from naikkelas.sentra.testing import add_member

    sentra = make_sentra()
    add_member(sentra, make_enterprise("16.07.01"))
    with pytest.raises(ValidationError):
        services.update_sentra(sentra, actor=personas.prov, changes={"kecamatan_id": "16.71.01"})
    services.update_sentra(sentra, actor=personas.prov, changes={"kecamatan_id": "16.07.02"})
    assert Sentra.objects.get(pk=sentra.pk).kecamatan_id == "16.07.02"
