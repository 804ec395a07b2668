from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "naikkelas.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from naikkelas.accounts.authentication import connect_signals

        connect_signals()
