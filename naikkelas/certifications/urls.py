from django.urls import path

from naikkelas.certifications import views

app_name = "certifications"
urlpatterns = [
    path("", views.certificate_list, name="certificate_list"),
    path("kedaluwarsa/", views.certificate_expiring, name="certificate_expiring"),
    path("usaha/<int:pk>/baru/", views.certificate_create, name="certificate_create"),
    path("<int:pk>/ubah/", views.certificate_edit, name="certificate_edit"),
    path("<int:pk>/hapus/", views.certificate_delete, name="certificate_delete"),
]
