from django.urls import include, path

urlpatterns = [
    path("", include("naikkelas.dashboard.urls")),
    path("akun/", include("naikkelas.accounts.urls")),
    path("usaha/", include("naikkelas.enterprises.urls")),
    path("wilayah/", include("naikkelas.wilayah.urls")),
]
