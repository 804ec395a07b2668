"""Financing: KUR and other credit per enterprise (personal financial data), and lenders'
aggregate reports per kab/kota and period (not personal: everyone in scope reads them)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from naikkelas.core.validators import validate_registry_year
from naikkelas.financing.querysets import LenderReportQuerySet, LoanQuerySet
from naikkelas.financing.schemes import rule_on


class Scheme(models.TextChoices):
    SUPER_MIKRO = "super_mikro", _("KUR super mikro")
    MIKRO = "mikro", _("KUR mikro")
    KECIL = "kecil", _("KUR kecil")
    KHUSUS = "khusus", _("KUR khusus")
    NON_KUR = "non_kur", _("other credit (non-KUR)")


class LoanStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("applied")
    DITOLAK = "ditolak", _("refused")
    BERJALAN = "berjalan", _("disbursed, running")
    LUNAS = "lunas", _("repaid")
    MACET = "macet", _("non-performing")


# Loans that were disbursed (the indicator counts them).
DISBURSED = (LoanStatus.BERJALAN, LoanStatus.LUNAS, LoanStatus.MACET)


class Loan(models.Model):
    """One credit of an enterprise. Personal financial data: read only by users who may see
    personal data (`Loan.objects.visible_to`)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="loans")
    lender = models.CharField(_("lender"), max_length=150)
    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    plafon = models.BigIntegerField(_("plafon (Rp)"), validators=[MinValueValidator(1)])
    akad_date = models.DateField(_("akad date"), validators=[validate_registry_year])
    tenor_months = models.PositiveSmallIntegerField(
        _("tenor (months)"), validators=[MinValueValidator(1), MaxValueValidator(360)])
    rate = models.DecimalField(_("interest rate (percent a year)"), max_digits=5, decimal_places=2,
                               validators=[MinValueValidator(Decimal("0"))])
    kur_sequence = models.PositiveSmallIntegerField(
        _("KUR loan number"), default=1, validators=[MinValueValidator(1)],
        help_text=_("1 for the borrower's first KUR, 2 for the second, ..."))
    status = models.CharField(_("status"), max_length=10, choices=LoanStatus.choices,
                              default=LoanStatus.BERJALAN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-akad_date", "id"]
        constraints = [models.CheckConstraint(condition=Q(plafon__gt=0),
                                              name="loan_plafon_positive")]
        indexes = [models.Index(fields=["scheme", "akad_date"])]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.lender} {self.akad_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("financing:loan_edit", args=[self.pk])

    @property
    def kode_wilayah(self) -> str:
        return self.enterprise.kode_wilayah

    def clean(self) -> None:
        """A KUR loan lies within its scheme's plafon band and rate ceiling on the akad date."""
        if self.scheme == Scheme.NON_KUR or not (self.akad_date and self.plafon):
            return
        rule = rule_on(self.akad_date)
        if rule is None:
            return  # before the first rule recorded: stored, not checked
        limit = rule.schemes[self.scheme]
        errors = {}
        if not limit.above < self.plafon <= limit.up_to:
            errors["plafon"] = ValidationError(
                gettext("%(scheme)s takes a plafon above Rp%(above)s up to Rp%(up_to)s (%(rule)s).")
                % {"scheme": self.get_scheme_display(), "above": _rupiah(limit.above),
                   "up_to": _rupiah(limit.up_to), "rule": rule.id}, code="plafon")
        if self.rate is not None and self.rate > limit.max_rate(self.kur_sequence):
            errors["rate"] = ValidationError(
                gettext("The rate of this %(scheme)s loan may be at most %(rate)s%% a year.")
                % {"scheme": self.get_scheme_display(),
                   "rate": limit.max_rate(self.kur_sequence)}, code="rate")
        if errors:
            raise ValidationError(errors)


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


class LenderReport(models.Model):
    """What a lender (or all lenders together) disbursed in a kab/kota over a period, as
    reported (e.g. from SIKP): aggregates, no single borrower."""

    lender = models.CharField(_("lender"), max_length=150)
    all_lenders = models.BooleanField(_("all lenders together"), default=False)
    kabkota = models.ForeignKey("wilayah.Wilayah", verbose_name=_("kabupaten/kota"),
                                on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": 2})
    period_start = models.DateField(_("period start"), validators=[validate_registry_year])
    period_end = models.DateField(_("period end"), validators=[validate_registry_year])
    debtors = models.PositiveIntegerField(_("number of debtors"), null=True, blank=True)
    disbursed = models.BigIntegerField(_("amount disbursed (Rp)"),
                                       validators=[MinValueValidator(0)])
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LenderReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("lender report")
        verbose_name_plural = _("lender reports")
        ordering = ["-period_end", "kabkota", "lender"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="lenderreport_period_order",
                                   violation_error_message=_("The period cannot end before it "
                                                             "starts.")),
            models.CheckConstraint(condition=Q(disbursed__gte=0),
                                   name="lenderreport_disbursed_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lender} {self.kabkota_id} {self.period_start:%Y-%m}–{self.period_end:%Y-%m}"

    @property
    def kode_wilayah(self) -> str:
        return self.kabkota_id or ""

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": ValidationError(
                _("The period cannot end before it starts."), code="period_order")})
