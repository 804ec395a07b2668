from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentraConfig(AppConfig):
    name = "naikkelas.sentra"
    verbose_name = _("Sentra IKM")
