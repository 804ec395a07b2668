import pytest

from naikkelas.core.testing import Personas, make_personas


@pytest.fixture
def personas(db) -> Personas:
    """The four personas of STYLE.md plus a read-only pimpinan."""
    return make_personas()
