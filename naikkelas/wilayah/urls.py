from django.urls import path

from naikkelas.wilayah import views

app_name = "wilayah"
urlpatterns = [
    path("pilihan/", views.children_options, name="children_options"),
]
