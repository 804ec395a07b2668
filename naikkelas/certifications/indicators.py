"""The certificates section of the indicators (`naikkelas indicators --json`)."""

from django.db.models import Count

from naikkelas.certifications.models import Certificate, CertificateType


def indicator_section(kode: str, tahun: int) -> dict:
    """`{"sertifikat": {TYPE: int}}`: per type (nib, pirt, halal, bpom_md, sni, hki, tkdn_ik,
    every type present), the certificates issued in `tahun` (issue date in that year) to
    non-deleted enterprises at or under `kode` ('' = nasional). One query."""
    counts = dict(Certificate.objects.in_wilayah(kode).filter(issued_on__year=tahun)
                  .values("type").order_by("type").annotate(n=Count("id"))
                  .values_list("type", "n"))
    return {"sertifikat": {kind: counts.get(kind, 0) for kind in CertificateType.values}}
