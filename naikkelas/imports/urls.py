from django.urls import path

from naikkelas.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("riwayat.<str:fmt>", views.import_list_export, name="import_list_export"),
    path("unggah/", views.import_upload, name="import_upload"),
    path("pratinjau/", views.import_preview, name="import_preview"),
    path("pratinjau/progres/", views.import_check_progress, name="import_check_progress"),
    path("konfirmasi/", views.import_confirm, name="import_confirm"),
    path("templat.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progres/", views.import_progress, name="import_progress"),
    path("<int:pk>/kesalahan.xlsx", views.import_errors, name="import_errors"),
    path("<int:pk>/batalkan/", views.import_undo, name="import_undo"),
]
