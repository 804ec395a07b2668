from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "naikkelas.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from naikkelas.core.db import connect_signals

        connect_signals()
