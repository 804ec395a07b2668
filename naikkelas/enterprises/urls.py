from django.urls import path

from naikkelas.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("ekspor.csv", views.enterprise_export, name="enterprise_export"),
    path("ekspor.xlsx", views.enterprise_export_xlsx, name="enterprise_export_xlsx"),
    path("baru/", views.enterprise_create, name="enterprise_create"),
    path("terhapus/", views.deleted_list, name="deleted_list"),
    path("terhapus/ekspor.<str:fmt>", views.deleted_list_export, name="deleted_list_export"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("<int:pk>/ubah/", views.enterprise_edit, name="enterprise_edit"),
    path("<int:pk>/hapus/", views.enterprise_delete, name="enterprise_delete"),
    path("<int:pk>/pulihkan/", views.enterprise_restore, name="enterprise_restore"),
    path("<int:pk>/data/baru/", views.report_create, name="report_create"),
    path("<int:pk>/data/<int:year>/", views.report_edit, name="report_edit"),
    path("<int:pk>/data/<int:year>/hapus/", views.report_delete, name="report_delete"),
]
