from django.urls import path

from naikkelas.financing import views

app_name = "financing"
urlpatterns = [
    path("", views.loan_list, name="loan_list"),
    path("ekspor.<str:fmt>", views.loan_list_export, name="loan_list_export"),
    path("usaha/<int:pk>/baru/", views.loan_create, name="loan_create"),
    path("<int:pk>/ubah/", views.loan_edit, name="loan_edit"),
    path("<int:pk>/hapus/", views.loan_delete, name="loan_delete"),
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/ekspor.<str:fmt>", views.report_list_export, name="report_list_export"),
    path("laporan/baru/", views.report_create, name="report_create"),
    path("laporan/<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("laporan/<int:pk>/hapus/", views.report_delete, name="report_delete"),
]
