from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbliConfig(AppConfig):
    name = "naikkelas.kbli"
    verbose_name = _("KBLI")
