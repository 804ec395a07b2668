"""API clients that authenticate the way an external system does: with a personal token."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from naikkelas.accounts.models import User
from naikkelas.accounts.services import create_api_token


def token_client(user: User, name: str = "portal kabupaten") -> APIClient:
    """A client sending `Authorization: Bearer <key>` of a new token of the user."""
    _token, key = create_api_token(actor=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api(personas) -> Callable[[str], APIClient]:
    """`api("kab")`: a token client of that persona."""
    return lambda persona: token_client(getattr(personas, persona))


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    """Request budgets live in the cache; every test starts with a full one."""
    cache.clear()
