"""Sentra IKM: a place where at least five IKM make similar products, with its members,
officers, facilities and the support it received, and its lifecycle usulan → terbentuk →
ditetapkan (by SK Bupati/Walikota)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.core.validators import mask_phone, validate_phone, validate_registry_year
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.programs.models import (
    Facilitated, facilitating_program_field, facilitator_text_field, one_facilitator_constraint,
)
from naikkelas.sentra.querysets import (
    SentraMemberQuerySet, SentraQuerySet, SentraSupportQuerySet,
)

MIN_SIMILAR_MEMBERS = 5  # Kemenperin's operational definition: at least five IKM


class SentraStatus(models.TextChoices):
    USULAN = "usulan", _("proposed (usulan)")
    TERBENTUK = "terbentuk", _("formed (terbentuk)")
    DITETAPKAN = "ditetapkan", _("designated by SK (ditetapkan)")


# The one step each status may take; anything else is refused by the service.
NEXT_STATUS = {SentraStatus.USULAN: SentraStatus.TERBENTUK,
               SentraStatus.TERBENTUK: SentraStatus.DITETAPKAN}
FORMED_STATUSES = (SentraStatus.TERBENTUK, SentraStatus.DITETAPKAN)


def sk_upload_to(sentra: "Sentra", filename: str) -> str:
    """SK documents under MEDIA_ROOT/sentra/sk/<kab/kota>/ (the storage makes names unique);
    never served by URL directly, only through the scoped view."""
    extension = filename[filename.rfind("."):].lower() if "." in filename else ""
    return f"sentra/sk/{sentra.kecamatan_id[:5]}/sk-sentra{extension}"


class Sentra(models.Model):
    """A sentra IKM in one kecamatan. Scoped by its kecamatan like an enterprise."""

    name = models.CharField(_("sentra name"), max_length=200)
    komoditas = models.CharField(_("komoditas / product"), max_length=200)
    kbli = models.ForeignKey("kbli.Kbli", verbose_name=_("KBLI"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")
    kecamatan = models.ForeignKey("wilayah.Wilayah", verbose_name=_("kecamatan"),
                                  on_delete=models.PROTECT, related_name="+",
                                  limit_choices_to={"level": 3})
    desa = models.ForeignKey("wilayah.Wilayah", verbose_name=_("desa/kelurahan"),
                             on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             limit_choices_to={"level": 4})
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True, validators=[MinValueValidator(-11),
                                                           MaxValueValidator(6)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True, validators=[MinValueValidator(94),
                                                            MaxValueValidator(142)])
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SentraStatus.choices,
                              default=SentraStatus.USULAN)
    formed_on = models.DateField(_("date formed"), null=True, blank=True,
                                 validators=[validate_registry_year])
    sk_number = models.CharField(_("SK number"), max_length=120, blank=True)
    sk_date = models.DateField(_("SK date"), null=True, blank=True,
                               validators=[validate_registry_year])
    sk_document = models.FileField(_("SK document"), upload_to=sk_upload_to, blank=True,
                                   max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SentraQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentra")
        verbose_name_plural = _("sentra")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="usulan") | Q(formed_on__isnull=False),
                name="sentra_formed_has_date",
                violation_error_message=_("A formed sentra needs the date it was formed.")),
            models.CheckConstraint(
                condition=~Q(status="ditetapkan")
                | (Q(sk_date__isnull=False) & ~Q(sk_number="") & ~Q(sk_document="")),
                name="sentra_designated_has_sk",
                violation_error_message=_("A designated sentra needs the SK number, date and "
                                          "document.")),
        ]
        indexes = [models.Index(fields=["kecamatan", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sentra:sentra_detail", args=[self.pk])

    @property
    def kode_wilayah(self) -> str:
        return self.kecamatan_id or ""

    @property
    def kabkota_kode(self) -> str:
        """The kab/kota whose enterprises may join: 63.71 for a sentra in 63.71.03."""
        return self.kecamatan_id[:5]

    @property
    def next_status(self) -> str | None:
        return NEXT_STATUS.get(self.status)


class SentraMember(models.Model):
    """An enterprise's membership of a sentra, from `joined_on` until `left_on` (open: still in)."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE,
                               related_name="memberships")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="sentra_memberships")
    joined_on = models.DateField(_("joined on"), validators=[validate_registry_year])
    left_on = models.DateField(_("left on"), null=True, blank=True,
                               validators=[validate_registry_year])

    objects = SentraMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentra member")
        verbose_name_plural = _("sentra members")
        ordering = ["enterprise__name", "joined_on"]
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True)
                                   | Q(left_on__gte=models.F("joined_on")),
                                   name="sentramember_left_after_joined",
                                   violation_error_message=_("The leaving date cannot be before "
                                                             "the joining date.")),
            models.UniqueConstraint(fields=["sentra", "enterprise"],
                                    condition=Q(left_on__isnull=True),
                                    name="sentramember_one_open_membership",
                                    violation_error_message=_("This enterprise is already a "
                                                              "member of the sentra.")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.sentra}"


class OfficerKind(models.TextChoices):
    PENGURUS = "pengurus", _("pengurus (board)")
    PENGELOLA = "pengelola", _("pengelola (manager)")


class SentraOfficer(models.Model):
    """A person of the sentra's pengurus or pengelola. The phone is personal data."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE,
                               related_name="officers")
    kind = models.CharField(_("group"), max_length=10, choices=OfficerKind.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=100,
                                help_text=_("e.g. ketua, sekretaris, bendahara, pengelola UPT"))
    phone = models.CharField(_("phone"), max_length=15, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("sentra officer")
        verbose_name_plural = _("sentra officers")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"

    def phone_for(self, user) -> str:
        return self.phone if user.can_view_personal_data else mask_phone(self.phone)


class FacilityKind(models.TextChoices):
    UPT = "upt", _("UPT (technical service unit)")
    RUMAH_PRODUKSI = "rumah_produksi", _("shared production house")
    RUMAH_KEMASAN = "rumah_kemasan", _("packaging house")
    IPAL = "ipal", _("waste-water plant (IPAL)")
    MESIN = "mesin", _("shared machines and equipment")
    GUDANG = "gudang", _("warehouse / showroom")
    LAINNYA = "lainnya", _("other")


class SentraFacility(models.Model):
    """A UPT or a facility the members share."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE,
                               related_name="facilities")
    kind = models.CharField(_("kind"), max_length=16, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year_built = models.PositiveSmallIntegerField(
        _("year built"), null=True, blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)])

    class Meta:
        verbose_name = _("sentra facility")
        verbose_name_plural = _("sentra facilities")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name


class SupportSource(models.TextChoices):
    DAK = "dak", _("DAK")
    APBN = "apbn", _("APBN")
    APBD = "apbd", _("APBD")
    LAINNYA = "lainnya", _("other")


class SentraSupport(Facilitated, models.Model):
    """Support a sentra received: source, year, value in whole rupiah, what it was.

    `program` is the recorded program it came through; `facilitated_by` names, as text, one that
    is not recorded here (never both). Such a program cannot be deleted (PROTECT).
    """

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE,
                               related_name="support")
    source = models.CharField(_("source of funds"), max_length=8, choices=SupportSource.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)])
    value = models.BigIntegerField(_("value (Rp)"), validators=[MinValueValidator(0)])
    description = models.CharField(_("description"), max_length=300)
    program = facilitating_program_field("sentra_support")
    facilitated_by = facilitator_text_field()

    objects = SentraSupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentra support")
        verbose_name_plural = _("sentra support")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0),
                                   name="sentrasupport_value_non_negative"),
            one_facilitator_constraint("sentrasupport_one_facilitator"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year}: {self.description}"

    def clean(self) -> None:
        self.check_one_facilitator()
