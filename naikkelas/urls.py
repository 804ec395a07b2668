from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("naikkelas.dashboard.urls")),
    path("akun/", include("naikkelas.accounts.urls")),
    path("usaha/", include("naikkelas.enterprises.urls")),
    path("wilayah/", include("naikkelas.wilayah.urls")),
    path("impor/", include("naikkelas.imports.urls")),
    path("duplikat/", include("naikkelas.linkage.urls")),
    path("sentra/", include("naikkelas.sentra.urls")),
    path("program/", include("naikkelas.programs.urls")),
    path("sertifikat/", include("naikkelas.certifications.urls")),
    path("pembiayaan/", include("naikkelas.financing.urls")),
    path("api/v1/", include("naikkelas.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler500 = "naikkelas.core.api.server_error"
