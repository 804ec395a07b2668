from django.urls import path

from naikkelas.sentra import views

app_name = "sentra"
urlpatterns = [
    path("", views.sentra_list, name="sentra_list"),
    path("ekspor.<str:fmt>", views.sentra_list_export, name="sentra_list_export"),
    path("rekap/", views.sentra_counts, name="sentra_counts"),
    path("rekap/ekspor.<str:fmt>", views.sentra_counts_export, name="sentra_counts_export"),
    path("baru/", views.sentra_create, name="sentra_create"),
    path("<int:pk>/", views.sentra_detail, name="sentra_detail"),
    path("<int:pk>/ubah/", views.sentra_edit, name="sentra_edit"),
    path("<int:pk>/status/", views.sentra_status, name="sentra_status"),
    path("<int:pk>/sk/", views.sentra_sk_document, name="sentra_sk_document"),
    path("<int:pk>/anggota/baru/", views.member_add, name="member_add"),
    path("<int:pk>/anggota/<int:item>/keluar/", views.member_leave, name="member_leave"),
    path("<int:pk>/pengurus/baru/", views.part_add, {"part": "officer"}, name="officer_add"),
    path("<int:pk>/pengurus/<int:item>/hapus/", views.part_delete, {"part": "officer"},
         name="officer_delete"),
    path("<int:pk>/fasilitas/baru/", views.part_add, {"part": "facility"}, name="facility_add"),
    path("<int:pk>/fasilitas/<int:item>/hapus/", views.part_delete, {"part": "facility"},
         name="facility_delete"),
    path("<int:pk>/bantuan/baru/", views.part_add, {"part": "support"}, name="support_add"),
    path("<int:pk>/bantuan/<int:item>/hapus/", views.part_delete, {"part": "support"},
         name="support_delete"),
]
