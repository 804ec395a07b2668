import pytest
from django.test import override_settings

from naikkelas.core.testing import Personas, make_personas


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 in production; a fast hasher keeps the suite quick (hashing is not under test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings) -> None:
    """Background tasks run in the test's own thread and transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def personas(db) -> Personas:
    """The four personas of STYLE.md plus a read-only pimpinan."""
    return make_personas()


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_directory(tmp_path_factory):
    """Uploaded documents (SK sentra, ...) go to a temporary MEDIA_ROOT, never under var/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield
