from django.urls import path

from naikkelas.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("ekspor.<str:fmt>", views.program_list_export, name="program_list_export"),
    path("baru/", views.program_create, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/ubah/", views.program_edit, name="program_edit"),
    path("<int:pk>/peserta/baru/", views.participant_add, name="participant_add"),
    path("<int:pk>/peserta/<int:participation>/", views.participation_edit,
         name="participation_edit"),
    path("<int:pk>/peserta/impor/", views.participant_import, name="participant_import"),
    path("<int:pk>/bantuan/baru/", views.aid_create, name="aid_create"),
    path("<int:pk>/bantuan/baru/cek/", views.aid_eligibility, name="aid_eligibility"),
    path("<int:pk>/bantuan/impor/", views.recipient_import, name="recipient_import"),
    path("bantuan/<int:pk>/dokumen/", views.aid_document, name="aid_document"),
    path("calon/", views.prospect_list, name="prospect_list"),
    path("calon/ekspor.<str:fmt>", views.prospect_list_export, name="prospect_list_export"),
    path("calon/baru/", views.prospect_create, name="prospect_create"),
    path("calon/<int:pk>/", views.prospect_detail, name="prospect_detail"),
    path("calon/<int:pk>/jadikan-usaha/", views.prospect_promote, name="prospect_promote"),
    path("kub/", views.kub_list, name="kub_list"),
    path("kub/ekspor.<str:fmt>", views.kub_list_export, name="kub_list_export"),
    path("kub/baru/", views.kub_create, name="kub_create"),
    path("kub/<int:pk>/", views.kub_detail, name="kub_detail"),
]
