from django.urls import path

from naikkelas.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.candidate_list, name="candidate_list"),
    path("ekspor.<str:fmt>", views.candidate_list_export, name="candidate_list_export"),
    path("<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("<int:pk>/gabung/", views.candidate_merge, name="candidate_merge"),
    path("<int:pk>/bukan-duplikat/", views.candidate_dismiss, name="candidate_dismiss"),
    path("gabungan/<int:pk>/batalkan/", views.merge_undo, name="merge_undo"),
]
