"""The sentra section of the indicators (`naikkelas indicators --json`)."""

import datetime

from django.db.models import Count, Q

from naikkelas.sentra.models import Sentra


def indicator_section(kode: str, tahun: int) -> dict:
    """`{"sentra": {"terbentuk": int, "ber_sk": int}}` for the wilayah at or under `kode`
    ('' = nasional), as the stock at the end of `tahun`:

    - terbentuk: sentra that had reached at least terbentuk by 31 December of `tahun`, i.e. whose
      status is terbentuk or ditetapkan and whose date formed is in or before `tahun` (the
      designated ones included, as the offices count "73 terbentuk, 54 ber-SK");
    - ber_sk: sentra designated (ditetapkan) by an SK dated in or before `tahun`.
    One query.
    """
    end = datetime.date(tahun, 12, 31)
    counts = Sentra.objects.in_wilayah(kode).aggregate(
        terbentuk=Count("id", filter=Q(status__in=["terbentuk", "ditetapkan"],
                                       formed_on__lte=end)),
        ber_sk=Count("id", filter=Q(status="ditetapkan", sk_date__lte=end)))
    return {"sentra": {"terbentuk": counts["terbentuk"], "ber_sk": counts["ber_sk"]}}
