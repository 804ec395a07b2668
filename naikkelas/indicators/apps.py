from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "naikkelas.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from naikkelas.enterprises.signals import registry_changed

        registry_changed.connect(_on_registry_changed, dispatch_uid="indicators.mark_dirty")


def _on_registry_changed(sender, *, kecamatan_codes, years, **kwargs) -> None:
    from naikkelas.indicators.services import mark_dirty

    mark_dirty(kecamatan_codes, years)
