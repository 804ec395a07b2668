"""Certificates for the scope walk (naikkelas/core/tests/test_scope_walk.py)."""

import datetime

from naikkelas.certifications.models import Certificate
from naikkelas.enterprises.models import Enterprise

PAYLOAD = {"type": "sni", "number": "SNI-WALK-1", "issued_on": "2024-01-02",
           "valid_until": "2027-01-01"}


def build(active: dict[str, Enterprise]) -> dict[tuple[str, int], int]:
    """A halal certificate expiring soon for every region's enterprise."""
    records = {}
    for enterprise in active.values():
        certificate = Certificate.objects.create(
            enterprise=enterprise, type="halal", number=f"ID1611000{enterprise.pk:010d}",
            issued_on=datetime.date(2022, 1, 1),
            valid_until=datetime.date.today() + datetime.timedelta(days=30))
        records[("certificate", enterprise.pk)] = certificate.pk
    return records


def post_data(name: str, target) -> dict | None:
    if not name.startswith("certifications:"):
        return None
    return PAYLOAD if name != "certifications:certificate_delete" else {"reason": "uji"}
