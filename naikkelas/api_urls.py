"""/api/v1/: every app registers its viewsets here. URL names are `api:<basename>-<action>`."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from naikkelas.core.api import not_found
from naikkelas.enterprises.api import EnterpriseViewSet
from naikkelas.indicators.api import IndicatorViewSet
from naikkelas.kbli.api import KbliViewSet
from naikkelas.programs.api import AidDeliveryViewSet, ProgramViewSet
from naikkelas.wilayah.api import WilayahViewSet

app_name = "api"


class Router(DefaultRouter):
    # `?format=json` still works; suffixes (`/16.07.json`) would clash with dotted kode wilayah.
    include_format_suffixes = False


router = Router()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("wilayah", WilayahViewSet, basename="wilayah")
router.register("kbli", KbliViewSet, basename="kbli")
router.register("indicators", IndicatorViewSet, basename="indicators")
router.register("programs", ProgramViewSet, basename="program")
router.register("aid-deliveries", AidDeliveryViewSet, basename="aiddelivery")

urlpatterns = [*router.urls,
               re_path(r"^(?P<unmatched>.*)/$", not_found, name="not-found")]
