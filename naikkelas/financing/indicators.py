"""The KUR section of the indicators (`naikkelas indicators --json`). Aggregates only."""

from django.db.models import Count, Sum

from naikkelas.financing.models import Loan


def indicator_section(kode: str, tahun: int) -> dict:
    """`{"kur": {"debitur": int, "nilai": int}}` for the wilayah at or under `kode`
    ('' = nasional) and `tahun`:

    - debitur: distinct (non-deleted) enterprises with a KUR loan (any scheme but non-KUR)
      whose akad date is in `tahun` and that was disbursed (status running, repaid or
      non-performing; applications and refusals are not counted);
    - nilai: the sum of the plafon of those loans, in whole rupiah.
    Lenders' aggregate reports are not added in: they are a separate source. One query.
    """
    totals = (Loan.objects.in_wilayah(kode).kur().disbursed().filter(akad_date__year=tahun)
              .aggregate(debitur=Count("enterprise", distinct=True), nilai=Sum("plafon")))
    return {"kur": {"debitur": totals["debitur"], "nilai": totals["nilai"] or 0}}
