"""Reads of programs, participants and aid. Every list and page starts from `visible_to(user)`.

Also here: the earlier aid the eligibility rule looks at (across every office, on purpose), and
"did it help?" — participants against a comparison group of non-participants.
"""

import datetime
import functools
import operator
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q

from naikkelas.core.scope import kode_and_above, wilayah_q
from naikkelas.enterprises.sizeclass import RULE_IDS


def _visible(queryset: models.QuerySet, user, field_name: str) -> models.QuerySet:
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(wilayah_q(user.kode_wilayah, field_name))


class ProgramQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "ProgramQuerySet":
        """Programs whose organiser wilayah lies at or under `kode` ('' = every program)."""
        return self.filter(wilayah_q(kode, "kode_wilayah"))

    def visible_to(self, user) -> "ProgramQuerySet":
        """Programs of offices at or under the user's wilayah: a Banyuasin program is seen by
        Banyuasin, Sumatera Selatan and pusat; a pusat program by pusat only."""
        return _visible(self, user, "kode_wilayah")

    def covering(self, kode: str) -> "ProgramQuerySet":
        """Programs whose organiser wilayah contains `kode` (the same region, one above it, or
        pusat): the programs that can reach an enterprise or sentra there."""
        return self.filter(kode_wilayah__in=kode_and_above(kode))

    def starting_in(self, year: int) -> "ProgramQuerySet":
        """Programs whose start date falls in the calendar year."""
        return self.filter(start_date__year=year)


class ProspectQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "ProspectQuerySet":
        """Prospects living in a kecamatan at or under `kode`."""
        return self.filter(wilayah_q(kode, "kecamatan__kode"))

    def visible_to(self, user) -> "ProspectQuerySet":
        """Prospects whose kecamatan lies in the user's wilayah."""
        return _visible(self, user, "kecamatan__kode")

    def not_promoted(self) -> "ProspectQuerySet":
        """Prospects not yet registered as an enterprise."""
        return self.filter(enterprise__isnull=True)


class KubGroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KubGroupQuerySet":
        """KUB groups whose kecamatan lies in the user's wilayah."""
        return _visible(self, user, "kecamatan__kode")


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ParticipationQuerySet":
        """Participations in programs the user may see."""
        return _visible(self, user, "program__kode_wilayah")

    def located_in(self, kode: str) -> "ParticipationQuerySet":
        """Participations whose participant (enterprise, prospect or KUB group) lies at or under
        `kode`."""
        return self.filter(wilayah_q(kode, "enterprise__kecamatan__kode")
                           | wilayah_q(kode, "prospect__kecamatan__kode")
                           | wilayah_q(kode, "kub_group__kecamatan__kode")) if kode else self


class AidDeliveryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AidDeliveryQuerySet":
        """Deliveries under programs the user may see."""
        return _visible(self, user, "program__kode_wilayah")

    def to_recipient(self, recipient) -> "AidDeliveryQuerySet":
        """Deliveries to this enterprise or KUB group."""
        return self.filter(**{recipient_field(recipient): recipient})

    def located_in(self, kode: str) -> "AidDeliveryQuerySet":
        """Deliveries whose recipient lies at or under `kode`."""
        return self.filter(wilayah_q(kode, "enterprise__kecamatan__kode")
                           | wilayah_q(kode, "kub_group__kecamatan__kode")) if kode else self

    def with_value(self) -> "AidDeliveryQuerySet":
        """Annotate `value`: the sum of quantity × unit value of the items."""
        return self.annotate(value=models.Sum(models.F("items__quantity")
                                              * models.F("items__unit_value")))


def recipient_field(recipient) -> str:
    """'enterprise' or 'kub_group': the delivery field that names this kind of recipient."""
    return "kub_group" if recipient._meta.model_name == "kubgroup" else "enterprise"


# --- the eligibility rule --------------------------------------------------------------------

@dataclass(frozen=True)
class EligibilityRule:
    """"Not the same kind of aid within N years, from any organiser".

    `kind` is "program_type" (the same program type counts as the same aid) or "any" (any aid
    counts). From settings NAIKKELAS_AID_RULE_YEARS / NAIKKELAS_AID_RULE_KIND.
    """

    years: int
    kind: str = "program_type"

    def window_start(self, on: datetime.date) -> datetime.date:
        """The first day that still counts: the same date N years before `on`, or the first
        day there is when that lies before year 1."""
        if on.year <= self.years:
            return datetime.date.min
        try:
            return on.replace(year=on.year - self.years)
        except ValueError:  # 29 February
            return on.replace(year=on.year - self.years, day=28)


def current_rule() -> EligibilityRule:
    return EligibilityRule(years=settings.NAIKKELAS_AID_RULE_YEARS,
                           kind=settings.NAIKKELAS_AID_RULE_KIND)


def earlier_aid(recipient, program_type: str, on: datetime.date,
                rule: EligibilityRule | None = None) -> AidDeliveryQuerySet:
    """Aid the recipient got within the rule's window before `on`, from ANY office.

    Deliberately not scoped: the rule must see aid of other kab/kota and pusat; callers show the
    user only what they may see, and a count of the rest.
    """
    from naikkelas.programs.models import AidDelivery

    rule = rule or current_rule()
    found = AidDelivery.objects.to_recipient(recipient).filter(
        bast_date__gt=rule.window_start(on), bast_date__lte=on)
    if rule.kind == "program_type":
        found = found.filter(program__program_type=program_type)
    return found.select_related("program").order_by("-bast_date")


# --- did it help? ----------------------------------------------------------------------------

FIGURES = ("workers", "investment", "sales")


@dataclass
class Group:
    """One group of enterprises: its size, median figures per year, naik kelas per rule."""

    size: int = 0
    medians: dict[tuple[str, int], float | None] = field(default_factory=dict)
    up: dict[str, int] = field(default_factory=dict)
    compared: dict[str, int] = field(default_factory=dict)

    def rate(self, rule: str) -> float | None:
        """Share of the group (classed in both years) whose class went up, 0..1."""
        compared = self.compared.get(rule, 0)
        return self.up.get(rule, 0) / compared if compared else None


@dataclass
class Effect:
    """Participants against non-participants of the same kab/kota, KBLI division and starting
    class (per rule), in the year before the program and the year after it ended."""

    before: int
    after: int
    rule: str
    participants: Group
    comparison: dict[str, Group]  # rule -> the group matched on the starting class under it

    @property
    def chosen(self) -> Group:
        """The comparison group under the rule the page shows figures for."""
        return self.comparison[self.rule]


@dataclass
class _Firm:
    kabkota: str
    division: str | None
    figures: dict[int, dict[str, int | None]] = field(default_factory=dict)
    ranks: dict[tuple[str, int], int] = field(default_factory=dict)


def effect_years(program) -> tuple[int, int]:
    """The year before the program started and the year after it ended."""
    return program.start_date.year - 1, program.end_date.year + 1


def participant_enterprises(program) -> models.QuerySet:
    """Enterprises that took part in or received aid under the program, directly or as a member
    of a participating or receiving KUB group (deleted enterprises left out)."""
    from naikkelas.enterprises.models import Enterprise

    from naikkelas.programs.models import KubGroup

    kub = KubGroup.objects.filter(Q(participations__program=program)
                                  | Q(aid_deliveries__program=program)).values("pk")
    return Enterprise.objects.active().filter(
        Q(participations__program=program) | Q(aid_deliveries__program=program)
        | Q(kub_memberships__group__in=kub)).distinct()


def program_effect(program, rule: str) -> Effect:
    """Did it help? Median figures and naik kelas rates of participants and of the comparison
    group. Four queries whatever the number of enterprises."""
    before, after = effect_years(program)
    rows = list(participant_enterprises(program).values_list("pk", "kecamatan__parent_id",
                                                             "kbli_id"))
    members = {pk for pk, _kab, _kbli in rows}
    firms = _load_firms(rows, before, after)
    comparison = {rule_id: _group(firms, _comparison(firms, members, rule_id, before), before,
                                  after) for rule_id in RULE_IDS}
    return Effect(before, after, rule, _group(firms, members, before, after), comparison)


def _load_firms(members: list[tuple], before: int, after: int) -> dict[int, _Firm]:
    """Participants (pk, kab/kota, KBLI) and every enterprise of their kab/kota and KBLI
    division, with the figures and class ranks of the two years."""
    from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification

    kabkota = {kab for _pk, kab, _kbli in members}
    divisions = {kbli[:2] for _pk, _kab, kbli in members if kbli}
    same_division = functools.reduce(operator.or_, (Q(kbli__kode__startswith=d) for d in divisions),
                                     Q(pk__in=[]))
    pool = Enterprise.objects.active().filter(
        Q(pk__in=[pk for pk, _kab, _kbli in members])
        | (Q(kecamatan__parent_id__in=kabkota) & same_division))
    firms = {pk: _Firm(kab, kbli[:2] if kbli else None) for pk, kab, kbli in
             pool.values_list("pk", "kecamatan__parent_id", "kbli_id")}
    years = [before, after]
    for pk, year, male, female, investment, sales in AnnualReport.objects.filter(
            enterprise__in=pool, year__in=years).values_list(
            "enterprise_id", "year", "workers_male", "workers_female", "investment", "sales"):
        firms[pk].figures[year] = {"workers": male + female, "investment": investment,
                                   "sales": sales}
    for pk, year, rule_id, rank in SizeClassification.objects.filter(
            report__enterprise__in=pool, report__year__in=years).values_list(
            "report__enterprise_id", "report__year", "rule", "rank"):
        firms[pk].ranks[(rule_id, year)] = rank
    return firms


def _comparison(firms: dict[int, _Firm], members: set[int], rule: str, before: int) -> set[int]:
    """Non-participants sharing a participant's kab/kota, KBLI division and class (under `rule`)
    in the year before."""
    def stratum(firm: _Firm):
        rank = firm.ranks.get((rule, before))
        return None if rank is None or firm.division is None else (firm.kabkota, firm.division,
                                                                     rank)

    strata = {stratum(firms[pk]) for pk in members if pk in firms} - {None}
    return {pk for pk, firm in firms.items() if pk not in members and stratum(firm) in strata}


def _group(firms: dict[int, _Firm], ids: set[int], before: int, after: int) -> Group:
    chosen = [firms[pk] for pk in ids if pk in firms]
    group = Group(size=len(ids))
    for name in FIGURES:
        for year in (before, after):
            values = [f.figures[year][name] for f in chosen
                      if year in f.figures and f.figures[year][name] is not None]
            group.medians[(name, year)] = statistics.median(values) if values else None
    for rule_id in RULE_IDS:
        pairs = [(f.ranks[(rule_id, before)], f.ranks[(rule_id, after)]) for f in chosen
                 if (rule_id, before) in f.ranks and (rule_id, after) in f.ranks]
        group.compared[rule_id] = len(pairs)
        group.up[rule_id] = sum(now > then for then, now in pairs)
    return group


def participant_counts(program) -> dict[str, int]:
    """Participations by kind, for the program page's summary."""
    counts = defaultdict(int)
    for enterprise, prospect in program.participations.values_list("enterprise_id",
                                                                   "prospect_id"):
        counts["enterprise" if enterprise else "prospect" if prospect else "kub_group"] += 1
    return dict(counts)
