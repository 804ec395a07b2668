from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "naikkelas.certifications"
    verbose_name = _("Certifications and licences")
