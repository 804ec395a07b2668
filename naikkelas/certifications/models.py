"""Licences and certificates of an enterprise: NIB, P-IRT, halal, BPOM MD, SNI, HKI, TKDN-IK."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.certifications.querysets import CertificateQuerySet
from naikkelas.core.validators import (
    normalize_bpom_md, normalize_halal, only_digits, validate_bpom_md, validate_halal_number,
    validate_nib, validate_pirt_number, validate_pirt_validity, validate_registry_year,
)
from naikkelas.programs.models import (
    Facilitated, facilitating_program_field, facilitator_text_field, one_facilitator_constraint,
)


class CertificateType(models.TextChoices):
    NIB = "nib", _("NIB")
    PIRT = "pirt", _("P-IRT")
    HALAL = "halal", _("Halal")
    BPOM_MD = "bpom_md", _("BPOM MD")
    SNI = "sni", _("SNI")
    HKI = "hki", _("HKI / merek")
    TKDN_IK = "tkdn_ik", _("TKDN-IK")


# Per type: how a typed number is normalised and checked. Types without a published, stable
# format (SNI, HKI, TKDN-IK) are kept as written.
NUMBER_RULES = {
    CertificateType.NIB: (only_digits, validate_nib),
    CertificateType.PIRT: (only_digits, validate_pirt_number),
    CertificateType.HALAL: (normalize_halal, validate_halal_number),
    CertificateType.BPOM_MD: (normalize_bpom_md, validate_bpom_md),
}


class Certificate(Facilitated, models.Model):
    """One licence or certificate of an enterprise, with its validity and who facilitated it.

    `program` is the recorded program that facilitated it; `facilitated_by` names, as text, a
    facilitator that is not a recorded program (never both). A program that facilitated
    certificates cannot be deleted (PROTECT): which program helped is the point of the record.
    """

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="certificates")
    type = models.CharField(_("type"), max_length=8, choices=CertificateType.choices)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"), validators=[validate_registry_year])
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("Empty when it does not expire (NIB)."),
                                   validators=[validate_registry_year])
    program = facilitating_program_field("certificates")
    facilitated_by = facilitator_text_field()
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["valid_until", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                name="certificate_valid_after_issue",
                violation_error_message=_("The valid-until date cannot be before the issue "
                                          "date.")),
            one_facilitator_constraint("certificate_one_facilitator"),
        ]
        indexes = [models.Index(fields=["type", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"

    @property
    def kode_wilayah(self) -> str:
        return self.enterprise.kode_wilayah

    def clean(self) -> None:
        """Normalise the number and check the format its type has; P-IRT validity rules."""
        self.check_one_facilitator()
        if self.valid_until and self.issued_on and self.valid_until < self.issued_on:
            raise ValidationError({"valid_until": ValidationError(
                _("The valid-until date cannot be before the issue date."), code="before_issue")})
        if self.type in NUMBER_RULES and self.number:
            normalise, validate = NUMBER_RULES[self.type]
            self.number = normalise(self.number)
            try:
                validate(self.number)
            except ValidationError as exc:
                raise ValidationError({"number": exc.error_list}) from exc
        if self.type == CertificateType.PIRT and len(self.number) == 15:
            try:
                validate_pirt_validity(self.number, self.issued_on, self.valid_until)
            except ValidationError as exc:
                raise ValidationError({"valid_until": exc.error_list}) from exc

    def expired_on(self, day: datetime.date) -> bool:
        return self.valid_until is not None and self.valid_until < day
