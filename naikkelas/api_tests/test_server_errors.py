"""A crash under /api/ answers JSON in the API's error shape; the web pages keep the HTML page.

This module is the URLconf of its tests: the project's own URLs and handler500, plus two views
that raise."""

import pytest
from django.http import HttpRequest
from django.urls import path
# Not `_`: makemessages would take this test string into the catalogue.
from django.utils.translation import gettext as translated
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny

from naikkelas.urls import handler500, urlpatterns as project_urlpatterns  # noqa: F401

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def api_crash(request):
    raise RuntimeError("a bug in an API view")


def page_crash(request: HttpRequest):
    raise RuntimeError("a bug in a page")


urlpatterns = [path("api/v1/crash/", api_crash), path("crash/", page_crash),
               *project_urlpatterns]

MESSAGE = "The server met an unexpected error. Try again later; if it happens again, tell the " \
          "administrator."


def test_an_api_crash_is_a_json_500_in_the_active_language(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/crash/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": translated(MESSAGE)}
    assert translated(MESSAGE) != MESSAGE  # the catalogue has it


def test_a_page_crash_keeps_the_html_page(client):
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
