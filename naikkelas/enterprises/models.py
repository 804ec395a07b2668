"""The registry: enterprises, their yearly figures, and the size class of each figure under each rule."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.core.validators import (
    MAX_YEAR, MIN_YEAR, mask_nik, mask_phone, validate_nib, validate_nik, validate_npwp,
    validate_phone,
)
from naikkelas.enterprises.querysets import (
    AnnualReportQuerySet, EnterpriseQuerySet, KabkotaKey,
)
from naikkelas.enterprises.sizeclass import Figures, RULE_IDS

# Personal data of the owner and how it is shown to a user who may not see it.
PERSONAL_MASKS = {"owner_nik": mask_nik, "owner_phone": mask_phone}


def shown_to(user, field: str, value: str) -> str:
    """A personal field's value as `user` may see it: masked unless the role may see personal
    data. The one rule behind pages, exports and the API."""
    return value if user.can_view_personal_data else PERSONAL_MASKS[field](value)


class LegalForm(models.TextChoices):
    PERORANGAN = "perorangan", _("Perorangan")
    UD = "ud", _("UD")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    KOPERASI = "koperasi", _("Koperasi")
    KUB = "kub", _("KUB")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Status(models.TextChoices):
    ACTIVE = "aktif", _("active")
    INACTIVE = "tidak_aktif", _("not active")
    CLOSED = "tutup", _("closed")


class Enterprise(models.Model):
    """One IKM (industri kecil dan menengah) business, located in a kecamatan."""

    name = models.CharField(_("business name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=12, choices=LegalForm.choices, default=LegalForm.PERORANGAN
    )
    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True,
                           validators=[validate_nib])
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, validators=[validate_npwp])
    owner_name = models.CharField(_("owner name"), max_length=150)
    owner_nik = models.CharField(_("owner NIK"), max_length=16, blank=True,
                                 validators=[validate_nik])
    owner_gender = models.CharField(_("owner gender"), max_length=1, choices=Gender.choices,
                                    blank=True)
    owner_phone = models.CharField(_("phone"), max_length=15, blank=True,
                                   validators=[validate_phone])
    address = models.CharField(_("address"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("kecamatan"), on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"level": 3}, db_index=False,  # see Meta.indexes
    )
    desa = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True, limit_choices_to={"level": 4},
        db_index=False,  # see Meta.indexes
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-11), MaxValueValidator(6)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(94), MaxValueValidator(142)],
    )
    kbli = models.ForeignKey("kbli.Kbli", verbose_name=_("KBLI"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+",
                             db_index=False)  # see Meta.indexes
    products = models.CharField(_("products"), max_length=300, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)  # see Meta.indexes

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=Q(nib__isnull=False), name="enterprise_nib_unique",
                violation_error_message=_("Another enterprise is already registered with this NIB."),
            ),
            models.CheckConstraint(condition=~Q(nib=""), name="enterprise_nib_null_not_empty"),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True)
                | Q(founded_year__gte=MIN_YEAR, founded_year__lte=MAX_YEAR),
                name="enterprise_founded_year_range",
            ),
        ]
        # Every index is paid for by every row an import writes, so each earns its place. The
        # codes have one index each, in varchar_pattern_ops on PostgreSQL: it serves `=` and the
        # prefix LIKE of a wilayah (16.07.%) alike, where Django's default would add a plain
        # index beside it. Deleted rows are few and looked up only among themselves.
        indexes = [
            models.Index(fields=["kecamatan"], opclasses=["varchar_pattern_ops"],
                         name="enterprise_kecamatan_code"),
            models.Index(fields=["desa"], opclasses=["varchar_pattern_ops"],
                         name="enterprise_desa_code"),
            models.Index(fields=["kbli"], opclasses=["varchar_pattern_ops"],
                         name="enterprise_kbli_code"),
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False),
                         name="enterprise_deleted_at"),
            models.Index(fields=["kecamatan", "name"]),
            # The API's pages in id order within a wilayah: the ids of a page come from this
            # index alone (an index-only scan), not from every row's heap page.
            models.Index(fields=["id", "kecamatan"], condition=Q(deleted_at__isnull=True),
                         name="enterprise_active_id"),
            # The same within a kab/kota (in_wilayah of a kab/kota code), and a class filter's
            # semi-join walks only that kab/kota's ids.
            models.Index(KabkotaKey(), F("id"), F("kecamatan"),
                         condition=Q(deleted_at__isnull=True),
                         name="enterprise_active_kabkota_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    @property
    def kode_wilayah(self) -> str:
        """The region code that scopes the enterprise: its kecamatan (the desa lies inside it)."""
        return self.kecamatan_id or ""

    def clean(self) -> None:
        """Rules across fields: the desa lies in the kecamatan; the NIK agrees with the gender."""
        errors = {}
        if self.desa_id and self.kecamatan_id and not self.desa_id.startswith(
                f"{self.kecamatan_id}."):
            errors["desa"] = _("This desa is not in the chosen kecamatan.")
        if self.owner_nik and self.owner_gender and len(self.owner_nik) == 16 \
                and self.owner_nik[6:8].isdigit():
            nik_gender = Gender.FEMALE if int(self.owner_nik[6:8]) > 40 else Gender.MALE
            if nik_gender != self.owner_gender:
                errors["owner_nik"] = _(
                    "The NIK encodes the birth date of a %(gender)s (women's day + 40); "
                    "check the NIK or the gender.") % {"gender": nik_gender.label.lower()}
        if errors:
            raise ValidationError(errors)

    def nik_for(self, user) -> str:
        return shown_to(user, "owner_nik", self.owner_nik)

    def phone_for(self, user) -> str:
        return shown_to(user, "owner_phone", self.owner_phone)


def _non_negative(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=f"annualreport_{field}_non_negative",
    )


AMOUNT_FIELDS = ("investment", "land_buildings_value", "working_capital", "sales",
                 "production_value", "raw_material_value")


class AnnualReport(models.Model):
    """An enterprise's figures for one calendar year. Amounts are whole rupiah."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="reports",
                                   db_index=False)  # led by annualreport_one_per_year below
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    workers_male = models.PositiveIntegerField(_("workers (men)"), default=0)
    workers_female = models.PositiveIntegerField(_("workers (women)"), default=0)
    investment = models.BigIntegerField(
        _("investment excl. land and buildings (Rp)"), null=True, blank=True,
        validators=[MinValueValidator(0)])
    land_buildings_value = models.BigIntegerField(
        _("land and buildings (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)])
    working_capital = models.BigIntegerField(
        _("working capital excl. land and buildings (Rp)"), null=True, blank=True,
        validators=[MinValueValidator(0)])
    sales = models.BigIntegerField(_("sales / omzet (Rp)"), null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    capacity = models.DecimalField(_("production capacity"), max_digits=18, decimal_places=2,
                                   null=True, blank=True, validators=[MinValueValidator(0)])
    capacity_unit = models.CharField(_("capacity unit"), max_length=40, blank=True)
    production_value = models.BigIntegerField(_("production value (Rp)"), null=True, blank=True,
                                              validators=[MinValueValidator(0)])
    raw_material_value = models.BigIntegerField(_("raw material value (Rp)"), null=True,
                                                blank=True, validators=[MinValueValidator(0)])
    source = models.CharField(_("source of the figures"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["enterprise", "year"]
        constraints = [
            # Covering on PostgreSQL: the indicator rollups of a few kecamatan read the
            # figures they sum from the index alone, without visiting scattered table pages.
            models.UniqueConstraint(fields=["enterprise", "year"],
                                    name="annualreport_one_per_year",
                                    include=["workers_male", "workers_female", "investment",
                                             "sales", "production_value"]),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                                   name="annualreport_year_range"),
            *(_non_negative(f) for f in AMOUNT_FIELDS + ("capacity",)),
        ]
        indexes = [models.Index(fields=["year", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def workers_total(self) -> int:
        return self.workers_male + self.workers_female

    def figures(self) -> Figures:
        return Figures(workers=self.workers_total, investment=self.investment,
                       working_capital=self.working_capital, sales=self.sales)


class SizeClassification(models.Model):
    """The class of one annual report under one rule, and whether it moved up from the year before.

    Derived data, written only by `services.reclassify`: stored so that lists, filters and
    indicators over millions of reports stay plain indexed queries. `enterprise` and `year` copy
    the report's, so that "this year's class under this rule" of many enterprises is one index
    range, without a join through the reports.
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE,
                               related_name="classifications",
                               db_index=False)  # led by sizeclass_one_per_rule below
    # The report's enterprise, copied. No constraint of its own: the report's foreign key
    # already ties every class to an enterprise that exists (a class cannot outlive its report,
    # nor a report its enterprise), and a second one would check every class row again at
    # commit, three for each imported report. reclassify writes the copy with the class.
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+",
                                   db_index=False,  # led by sizeclass_enterprise_year below
                                   db_constraint=False)
    year = models.PositiveSmallIntegerField(_("year"))
    rule = models.CharField(_("rule"), max_length=40, choices=[(r, r) for r in RULE_IDS])
    kelas = models.CharField(_("class"), max_length=20)
    rank = models.PositiveSmallIntegerField()
    naik_kelas = models.BooleanField(_("naik kelas"), null=True)

    class Meta:
        verbose_name = _("size classification")
        verbose_name_plural = _("size classifications")
        constraints = [
            models.UniqueConstraint(fields=["report", "rule"], name="sizeclass_one_per_rule"),
        ]
        # Every index here is paid for by every import row (three classes a report): none that
        # another one already leads. Queries by class always name the year (`classes_in`).
        indexes = [
            # one year's class of an enterprise, and all classes of a page of them
            # (covering on PostgreSQL: the rollups of a few kecamatan read it alone)
            models.Index(fields=["enterprise", "year", "rule"],
                         name="sizeclass_enterprise_year",
                         include=["kelas", "naik_kelas"]),
            # the enterprises with a class / naik kelas in a year, in id order
            models.Index(fields=["rule", "year", "kelas", "enterprise"],
                         name="sizeclass_year_kelas"),
            models.Index(fields=["rule", "year", "naik_kelas", "enterprise"],
                         name="sizeclass_year_naik_kelas")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.rule}: {self.kelas}"
