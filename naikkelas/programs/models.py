"""Programs (kegiatan) of the offices and what they deliver: participants, prospects, KUB groups, aid.

Scope follows the organiser: a program belongs to the wilayah of the office that runs it ('' for
pusat), prospects and KUB groups to their kecamatan, an aid delivery to its program.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import kode_level
from naikkelas.core.validators import (
    mask_nik, mask_phone, validate_kode_wilayah, validate_nik, validate_phone,
    validate_registry_year,
)
from naikkelas.programs.querysets import (
    AidDeliveryQuerySet, KubGroupQuerySet, ParticipationQuerySet, ProgramQuerySet,
    ProspectQuerySet,
)


class ProgramType(models.TextChoices):
    BIMTEK = "bimtek", _("Bimtek / training")
    WUB = "wub", _("WUB (new entrepreneurs)")
    EQUIPMENT = "peralatan", _("Equipment / machine aid")
    RESTRUCTURING = "restrukturisasi", _("Machine restructuring")
    CERTIFICATION = "sertifikasi", _("Certification facilitation")
    MARKETING = "pemasaran", _("Exhibition / online marketing")
    MENTORING = "pendampingan", _("Mentoring")
    OTHER = "lainnya", _("Other")


AID_TYPES = {ProgramType.EQUIPMENT, ProgramType.RESTRUCTURING}


class OrganiserLevel(models.TextChoices):
    PUSAT = "pusat", _("Pusat (Kemenperin)")
    PROVINSI = "provinsi", _("Provinsi")
    KABKOTA = "kabkota", _("Kabupaten/kota")
    DPR = "dpr", _("DPR aspiration")


# The kode wilayah level each organiser level sits at (DPR aspiration programs: any).
ORGANISER_LEVELS = {OrganiserLevel.PUSAT: {0}, OrganiserLevel.PROVINSI: {1},
                    OrganiserLevel.KABKOTA: {2}, OrganiserLevel.DPR: {0, 1, 2}}


class BudgetSource(models.TextChoices):
    APBN = "apbn", _("APBN")
    DEKON = "dekonsentrasi", _("Dekonsentrasi")
    TP = "tugas_pembantuan", _("Tugas pembantuan")
    DAK = "dak", _("DAK")
    APBD = "apbd", _("APBD")
    DBHCHT = "dbhcht", _("DBHCHT")
    OTHER = "lainnya", _("Other")


class Program(models.Model):
    """One kegiatan: a Bimtek, a WUB course, an aid round... run by one office in one year."""

    name = models.CharField(_("program name"), max_length=200)
    program_type = models.CharField(_("type"), max_length=20, choices=ProgramType.choices)
    organiser_level = models.CharField(_("organiser level"), max_length=10,
                                       choices=OrganiserLevel.choices)
    kode_wilayah = models.CharField(
        _("organiser wilayah"), max_length=13, blank=True, db_index=True,
        validators=[validate_kode_wilayah],
        help_text=_("Empty for pusat; 16 for a provinsi; 16.07 for a kabupaten/kota."))
    organiser = models.CharField(_("organiser (office)"), max_length=200, blank=True)
    budget_source = models.CharField(_("budget source"), max_length=20,
                                     choices=BudgetSource.choices)
    pagu = models.BigIntegerField(_("pagu (Rp)"), validators=[MinValueValidator(0)])
    realisasi = models.BigIntegerField(_("realisasi (Rp)"), null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    realisasi_reason = models.TextField(_("reason realisasi exceeds pagu"), blank=True)
    start_date = models.DateField(_("start date"), validators=[validate_registry_year])
    end_date = models.DateField(_("end date"), validators=[validate_registry_year])
    place = models.CharField(_("place"), max_length=200, blank=True)
    target_participants = models.PositiveIntegerField(_("target participants"), default=0)
    target_recipients = models.PositiveIntegerField(_("target aid recipients"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="program_dates_in_order"),
            models.CheckConstraint(
                condition=Q(realisasi__isnull=True) | Q(realisasi__lte=models.F("pagu"))
                | ~Q(realisasi_reason=""), name="program_realisasi_within_pagu"),
        ]
        indexes = [models.Index(fields=["kode_wilayah", "start_date"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.pk])

    def url_for(self, user) -> str:
        """The program's page for a user who may open it, '' for anyone else."""
        if user.is_authenticated and user.is_active and user.covers(self.kode_wilayah):
            return self.get_absolute_url()
        return ""

    @property
    def is_aid(self) -> bool:
        return self.program_type in AID_TYPES

    def clean(self) -> None:
        """Dates in order; realisasi within pagu unless explained; wilayah fits the level."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date lies before the start date.")
        if (self.realisasi is not None and self.pagu is not None and self.realisasi > self.pagu
                and not self.realisasi_reason.strip()):
            errors["realisasi_reason"] = _(
                "Realisasi is higher than the pagu: give the reason (e.g. budget revision).")
        levels = ORGANISER_LEVELS.get(self.organiser_level)
        if levels and kode_level(self.kode_wilayah) not in levels:
            errors["kode_wilayah"] = _("This wilayah does not fit the organiser level.")
        if errors:
            raise ValidationError(errors)


class Prospect(models.Model):
    """A prospective entrepreneur (calon wirausaha, WUB) not yet in the registry."""

    nik = models.CharField(_("NIK"), max_length=16, validators=[validate_nik])
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=15, blank=True, validators=[validate_phone])
    kecamatan = models.ForeignKey("wilayah.Wilayah", verbose_name=_("kecamatan"),
                                  on_delete=models.PROTECT, related_name="+",
                                  limit_choices_to={"level": 3})
    business_idea = models.CharField(_("planned business / product"), max_length=200,
                                     blank=True)
    enterprise = models.OneToOneField(
        "enterprises.Enterprise", verbose_name=_("registered as"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="prospect")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospective entrepreneur")
        verbose_name_plural = _("prospective entrepreneurs")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(
            fields=["nik"], name="prospect_nik_unique",
            violation_error_message=_("A prospective entrepreneur with this NIK already exists."))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:prospect_detail", args=[self.pk])

    @property
    def kode_wilayah(self) -> str:
        return self.kecamatan_id or ""

    def nik_for(self, user) -> str:
        return self.nik if user.can_view_personal_data else mask_nik(self.nik)

    def phone_for(self, user) -> str:
        return self.phone if user.can_view_personal_data else mask_phone(self.phone)


class KubGroup(models.Model):
    """A KUB (kelompok usaha bersama): enterprises and prospects that take part or receive aid
    together."""

    name = models.CharField(_("group name"), max_length=200)
    kecamatan = models.ForeignKey("wilayah.Wilayah", verbose_name=_("kecamatan"),
                                  on_delete=models.PROTECT, related_name="+",
                                  limit_choices_to={"level": 3})
    chair = models.CharField(_("chair"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = KubGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("KUB group")
        verbose_name_plural = _("KUB groups")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:kub_detail", args=[self.pk])

    @property
    def kode_wilayah(self) -> str:
        return self.kecamatan_id or ""


def _exactly_one(*fields: str) -> Q:
    """Q true when exactly one of the nullable FK fields is set."""
    options = Q(pk__in=[])
    for chosen in fields:
        option = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                option &= Q(**{f"{other}__isnull": True})
        options |= option
    return options


class KubMember(models.Model):
    """Membership of an enterprise or a prospect in a KUB group."""

    group = models.ForeignKey(KubGroup, verbose_name=_("KUB group"), on_delete=models.CASCADE,
                              related_name="members")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="kub_memberships")
    prospect = models.ForeignKey(Prospect, verbose_name=_("prospective entrepreneur"),
                                 null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="kub_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True,
                                 validators=[validate_registry_year])

    class Meta:
        verbose_name = _("KUB member")
        verbose_name_plural = _("KUB members")
        constraints = [
            models.CheckConstraint(condition=_exactly_one("enterprise", "prospect"),
                                   name="kubmember_one_kind"),
            models.UniqueConstraint(fields=["group", "enterprise"], name="kubmember_enterprise"),
            models.UniqueConstraint(fields=["group", "prospect"], name="kubmember_prospect"),
        ]

    def __str__(self) -> str:
        return str(self.enterprise or self.prospect)


class AttendanceStatus(models.TextChoices):
    REGISTERED = "terdaftar", _("registered")
    ATTENDED = "hadir", _("attended")
    COMPLETED = "lulus", _("completed")
    ABSENT = "tidak_hadir", _("did not attend")


PARTICIPANT_FIELDS = ("enterprise", "prospect", "kub_group")


class Participation(models.Model):
    """One participant of a program: a registered enterprise, a prospect or a KUB group."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="participations")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="participations")
    prospect = models.ForeignKey(Prospect, verbose_name=_("prospective entrepreneur"),
                                 null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="participations")
    kub_group = models.ForeignKey(KubGroup, verbose_name=_("KUB group"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="participations")
    status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.REGISTERED)
    days_present = models.PositiveSmallIntegerField(_("days present"), default=0)
    certificate_number = models.CharField(_("certificate number"), max_length=80, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True,
                                        validators=[validate_registry_year])

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["program", "id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one(*PARTICIPANT_FIELDS),
                                   name="participation_one_kind"),
            *(models.UniqueConstraint(
                fields=["program", name], name=f"participation_once_{name}",
                violation_error_message=_("This participant is already registered."))
              for name in PARTICIPANT_FIELDS),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.participant}"

    @property
    def participant(self):
        return self.enterprise or self.prospect or self.kub_group

    @property
    def kode_wilayah(self) -> str:
        return self.participant.kode_wilayah


class AidDelivery(models.Model):
    """Aid handed over under a program to an enterprise or a KUB group, with SK and BAST."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT,
                                related_name="deliveries")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="aid_deliveries")
    kub_group = models.ForeignKey(KubGroup, verbose_name=_("KUB group"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="aid_deliveries")
    sk_number = models.CharField(_("SK penerima number"), max_length=120)
    sk_date = models.DateField(_("SK penerima date"), validators=[validate_registry_year])
    bast_number = models.CharField(_("BAST number"), max_length=120)
    bast_date = models.DateField(_("BAST date"), db_index=True, validators=[validate_registry_year])
    document = models.FileField(_("handover document"), upload_to="bantuan/%Y/", blank=True)
    override_reason = models.TextField(_("reason for giving aid again"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AidDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("aid delivery")
        verbose_name_plural = _("aid deliveries")
        ordering = ["-bast_date", "id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one("enterprise", "kub_group"),
                                   name="aiddelivery_one_recipient"),
            models.CheckConstraint(condition=Q(bast_date__gte=models.F("sk_date")),
                                   name="aiddelivery_bast_after_sk"),
        ]

    def __str__(self) -> str:
        return f"{self.bast_number} {self.recipient}"

    @property
    def recipient(self):
        return self.enterprise or self.kub_group

    @property
    def kode_wilayah(self) -> str:
        return self.program.kode_wilayah

    def total_value(self) -> int:
        return sum(item.total for item in self.items.all())

    def clean(self) -> None:
        if self.sk_date and self.bast_date and self.bast_date < self.sk_date:
            raise ValidationError({"bast_date": _("The BAST date lies before the SK date.")})


class AidItem(models.Model):
    """One line of an aid delivery: an item with quantity and unit value."""

    delivery = models.ForeignKey(AidDelivery, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_value = models.BigIntegerField(_("unit value (Rp)"), validators=[MinValueValidator(0)])
    brand = models.CharField(_("brand / type"), max_length=120, blank=True)
    serial = models.CharField(_("serial number"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("aid item")
        verbose_name_plural = _("aid items")
        ordering = ["delivery", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="aiditem_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_value__gte=0),
                                   name="aiditem_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def total(self) -> int:
        return self.quantity * self.unit_value


def document_limit() -> int:
    return settings.NAIKKELAS_AID_DOCUMENT_MAX_BYTES


# --- records credited to the program that facilitated them (certificates, sentra support) -----

ONE_FACILITATOR = _("Choose the facilitating program or write the facilitator, not both.")


def facilitating_program_field(related_name: str) -> models.ForeignKey:
    """The recorded program that facilitated a record. PROTECT: which program helped is the
    point of the record, so such a program cannot be deleted."""
    return models.ForeignKey(Program, verbose_name=_("facilitated by (program)"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name=related_name)


def facilitator_text_field() -> models.CharField:
    return models.CharField(
        _("facilitator (not a recorded program)"), max_length=200, blank=True,
        help_text=_("Only when the facilitating program is not recorded here, e.g. a program "
                    "of another office."))


def one_facilitator_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(program__isnull=True) | Q(facilitated_by=""),
                                  name=name, violation_error_message=ONE_FACILITATOR)


class Facilitated:
    """For models with `program` (facilitating_program_field) and `facilitated_by`
    (facilitator_text_field): who facilitated, and never both."""

    @property
    def facilitator(self) -> str:
        """The program's name, else the text; '' when nobody was recorded."""
        return self.program.name if self.program_id else self.facilitated_by

    def check_one_facilitator(self) -> None:
        if self.program_id and self.facilitated_by.strip():
            raise ValidationError({"facilitated_by": ValidationError(ONE_FACILITATOR,
                                                                     code="one_facilitator")})
