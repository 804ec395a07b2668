"""The program and aid section of the indicators (settings.NAIKKELAS_INDICATOR_SECTIONS).

For wilayah `kode` ('' = nasional) and year `tahun`:
- program.kegiatan: programs whose start date falls in `tahun` and whose organiser wilayah lies
  at or under `kode` (a pusat program counts only nasional).
- program.peserta: participations (enterprises, prospects and KUB groups, each counted once per
  program; attendance not considered) in programs starting in `tahun`, whoever organised them,
  whose participant lies at or under `kode`.
- program.wub: the part of `peserta` in programs of type WUB.
- bantuan.penerima: distinct recipients (enterprises and KUB groups) located at or under `kode`
  of aid whose BAST date falls in `tahun`, whoever gave it.
- bantuan.nilai: the value (sum of quantity × unit value of the items, whole rupiah) of that aid.
"""

from django.db.models import F, Sum

from naikkelas.programs.models import AidDelivery, AidItem, Participation, Program, ProgramType


def indicator_section(kode: str, tahun: int) -> dict:
    participations = Participation.objects.located_in(kode).filter(
        program__start_date__year=tahun)
    deliveries = AidDelivery.objects.located_in(kode).filter(bast_date__year=tahun)
    recipients = set(deliveries.values_list("enterprise_id", "kub_group_id"))
    value = AidItem.objects.filter(delivery__in=deliveries).aggregate(
        total=Sum(F("quantity") * F("unit_value")))["total"]
    return {
        "program": {
            "kegiatan": Program.objects.in_wilayah(kode).starting_in(tahun).count(),
            "peserta": participations.count(),
            "wub": participations.filter(program__program_type=ProgramType.WUB).count(),
        },
        "bantuan": {"penerima": len(recipients), "nilai": int(value or 0)},
    }
