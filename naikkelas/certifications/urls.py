from django.urls import path

from naikkelas.certifications import views

app_name = "certifications"
urlpatterns = [
    path("", views.certificate_list, name="certificate_list"),
    path("ekspor.<str:fmt>", views.certificate_list_export, name="certificate_list_export"),
    path("kedaluwarsa/", views.certificate_expiring, name="certificate_expiring"),
    path("kedaluwarsa/ekspor.<str:fmt>", views.certificate_expiring_export,
         name="certificate_expiring_export"),
    path("usaha/<int:pk>/baru/", views.certificate_create, name="certificate_create"),
    path("<int:pk>/ubah/", views.certificate_edit, name="certificate_edit"),
    path("<int:pk>/hapus/", views.certificate_delete, name="certificate_delete"),
]
