"""The committed OpenAPI schema is the contract: the suite fails when the code drifts from it.
The browsable documentation renders with assets served by the application itself (no CDN)."""

import difflib
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

SCHEMA_FILE = settings.PROJECT_DIR / "openapi.yaml"
# The same command as `make schema`, without --file. English: the committed contract must not
# depend on the state of a translation catalogue (the served /api/schema/ follows the language).
SCHEMA_COMMAND = ("spectacular", {"lang": "en", "validate": True, "fail_on_warn": True})


def generated_schema() -> str:
    name, options = SCHEMA_COMMAND
    out = StringIO()
    call_command(name, stdout=out, **options)
    return out.getvalue()


def test_committed_schema_matches_the_code():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    generated = generated_schema()
    if generated != committed:
        diff = "".join(list(difflib.unified_diff(
            committed.splitlines(keepends=True), generated.splitlines(keepends=True),
            "openapi.yaml (committed)", "openapi.yaml (from the code)"))[:60])
        pytest.fail("The API no longer matches the committed openapi.yaml: run `make schema` "
                    f"and commit the result.\n{diff}")


def test_schema_is_served_to_anyone(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/enterprises/" in response.json()["paths"]


ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_docs_render_with_assets_from_the_app(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), f"{asset} is not served by the app"
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), f"{asset} is not installed"
    assert "cdn" not in html.lower()
