from django.urls import path

from naikkelas.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/<str:kode>/", views.wilayah, name="wilayah"),
    path("laporan/<str:kode>/<int:year>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("laporan/<str:kode>/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path("definisi-indikator/", views.definitions, name="definitions"),
    path("data-terbuka/", views.open_data, name="open_data"),
    path("data-terbuka/ikm-<int:year>.csv", views.open_data_csv, name="open_data_csv"),
    path("aset/plotly.min.js", views.plotly_js, name="plotly_js"),
]
