"""Users of naikkelas: each has one role and one kode wilayah that bounds what they see and change."""

from django.apps import apps
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.core.scope import kode_within
from naikkelas.core.validators import validate_kode_wilayah


class Role(models.TextChoices):
    ADMIN_PUSAT = "admin_pusat", _("Admin pusat (nasional)")
    OPERATOR_PROVINSI = "operator_provinsi", _("Operator provinsi")
    OPERATOR_KABKOTA = "operator_kabkota", _("Operator kab/kota")
    PIMPINAN = "pimpinan", _("Pimpinan (read-only)")


# Which depth of kode wilayah each role is assigned to ('' = nasional).
ROLE_LEVELS = {
    Role.ADMIN_PUSAT: {0},
    Role.OPERATOR_PROVINSI: {1},
    Role.OPERATOR_KABKOTA: {2},
    Role.PIMPINAN: {0, 1, 2},
}
EDITING_ROLES = {Role.ADMIN_PUSAT, Role.OPERATOR_PROVINSI, Role.OPERATOR_KABKOTA}
PERSONAL_DATA_ROLES = {Role.ADMIN_PUSAT, Role.OPERATOR_PROVINSI, Role.OPERATOR_KABKOTA}


def kode_level(kode: str) -> int:
    """0 nasional, 1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa."""
    return 0 if not kode else kode.count(".") + 1


class User(AbstractUser):
    """A person who logs in. Scope and rights come from `role` and `kode_wilayah`."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PIMPINAN)
    kode_wilayah = models.CharField(
        _("wilayah code"), max_length=13, blank=True,
        help_text=_("Empty for nasional; 16 for a provinsi; 16.07 for a kabupaten/kota."),
    )
    personal_data_access = models.BooleanField(
        _("may see personal data"), default=True,
        help_text=_("NIK and phone numbers are masked when off, or when the role never sees them."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role not in Role.values:
            return  # the field's choices validation reports it
        if self.kode_wilayah:
            try:
                validate_kode_wilayah(self.kode_wilayah)
            except ValidationError as exc:
                raise ValidationError({"kode_wilayah": exc.messages}) from exc
            wilayah = apps.get_model("wilayah", "Wilayah")  # accounts sits below wilayah
            if not wilayah.objects.filter(kode=self.kode_wilayah).exists():
                raise ValidationError({"kode_wilayah": _(
                    "Wilayah code %(kode)s is not a known region.") % {"kode": self.kode_wilayah}})
        if kode_level(self.kode_wilayah) not in ROLE_LEVELS[Role(self.role)]:
            raise ValidationError(
                {"kode_wilayah": _("This wilayah level does not fit the role %(role)s.")
                 % {"role": Role(self.role).label}}
            )

    @property
    def can_edit(self) -> bool:
        """Operators and admins change records; pimpinan only read."""
        return self.is_active and self.role in EDITING_ROLES

    @property
    def can_view_personal_data(self) -> bool:
        """NIK and phone in clear text: only for roles that may, and only when not switched off."""
        return self.personal_data_access and self.role in PERSONAL_DATA_ROLES

    @property
    def is_admin_pusat(self) -> bool:
        return self.role == Role.ADMIN_PUSAT

    def covers(self, kode: str) -> bool:
        """True when `kode` lies inside this user's wilayah."""
        return kode_within(kode, self.kode_wilayah)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Tokens that are not revoked, of active users."""
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the key is shown once when it is created."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(_("key begins with"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"
