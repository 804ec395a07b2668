"""The browsable API for a signed-in officer: every endpoint renders as HTML, with the app's own
assets (no CDN)."""

import re

import pytest
from django.conf import settings

from naikkelas.core.testing import make_enterprise, make_report

pytestmark = pytest.mark.django_db
EXTERNAL = re.compile(r'(?:src|href)="(https?://(?!testserver)[^"]+)"')


def test_every_endpoint_renders_in_the_browser(personas, client):
    enterprise = make_enterprise("16.07.01")
    make_report(enterprise, 2024)
    client.force_login(personas.kab)
    urls = ["/api/v1/", "/api/v1/enterprises/", f"/api/v1/enterprises/{enterprise.pk}/",
            f"/api/v1/enterprises/{enterprise.pk}/reports/2024/", "/api/v1/wilayah/",
            "/api/v1/wilayah/16.07/", "/api/v1/kbli/", "/api/v1/kbli/10750/",
            "/api/v1/indicators/?tahun=2024"]
    for url in urls:
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert response["Content-Type"].startswith("text/html")
        assert not EXTERNAL.findall(html), url
        assert settings.STATIC_URL in html
