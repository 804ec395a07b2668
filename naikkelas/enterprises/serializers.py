"""API payloads of the registry, with natural keys: kecamatan and desa by kode wilayah, KBLI by
code, and the NIB. Personal data is masked by the web's rule (`Enterprise.nik_for/phone_for`).

Input is checked here only for its JSON shape (a string, a number, a list); every rule is the web
form's own (`EnterpriseForm`, `AnnualReportForm`): the same fields, normalisation, scope of the
region pickers, NIB message and model validation, so one place defines each rule.
"""

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache
import threading
from typing import Any


from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from naikkelas.core.api import FastJSONRenderer, Fragments, field_errors, form_errors
from naikkelas.core.db import CompiledValues, one_snapshot
from naikkelas.enterprises import services
from naikkelas.enterprises.forms import PERSONAL_FIELDS, AnnualReportForm, EnterpriseForm
from naikkelas.enterprises.models import (
    PERSONAL_MASKS, AnnualReport, Enterprise, Gender, LegalForm, SizeClassification, Status,
    shown_to,
)
from naikkelas.enterprises.sizeclass import RULES

ENTERPRISE_FIELDS = EnterpriseForm.Meta.fields
REPORT_FIELDS = AnnualReportForm.Meta.fields
BIGINT_MAX = 2**63 - 1


# --- reading ---------------------------------------------------------------------------------

CLASSES_SCHEMA = {
    "type": "object",
    "description": "The size class of the year under each rule (null when a figure the rule "
                   "needs is missing), and naik kelas: higher than the year before (null "
                   "without figures for the year before).",
    "properties": {
        rule.id: {
            "type": "object", "nullable": True, "description": rule.name,
            "properties": {"kelas": {"type": "string", "enum": list(rule.classes)},
                           "naik_kelas": {"type": "boolean", "nullable": True}},
            "required": ["kelas", "naik_kelas"],
        } for rule in RULES.values()
    },
    "required": list(RULES),
}


class AnnualReportSerializer(serializers.ModelSerializer):
    """One year's figures with their class under every rule. Amounts are whole rupiah."""

    workers_total = serializers.IntegerField(read_only=True)
    capacity = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False,
                                        allow_null=True, read_only=True)
    classes = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = [*REPORT_FIELDS, "workers_total", "classes", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(CLASSES_SCHEMA)
    def get_classes(self, report: AnnualReport) -> dict[str, Any]:
        return classes_payload({c.rule: (c.kelas, c.naik_kelas)
                                for c in report.classifications.all()})


def classes_payload(by_rule: Mapping[str, tuple[str, bool | None]]) -> dict[str, Any]:
    """`classes` of a report from its (kelas, naik_kelas) per rule; null for a missing rule."""
    return {rule: {"kelas": c[0], "naik_kelas": c[1]} if (c := by_rule.get(rule)) else None
            for rule in RULES}


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise with all its yearly figures, oldest year first."""

    kecamatan = serializers.CharField(source="kecamatan_id", read_only=True,
                                      help_text=_("Kode wilayah of the kecamatan, e.g. 16.07.01."))
    desa = serializers.CharField(source="desa_id", read_only=True, allow_null=True,
                                 help_text=_("Kode wilayah of the desa/kelurahan, or null."))
    kbli = serializers.CharField(source="kbli_id", read_only=True, allow_null=True,
                                 help_text=_("KBLI 2020 code (five digits), or null."))
    owner_nik = serializers.SerializerMethodField(
        help_text=_("Masked (160701••••••0042) unless the user may see personal data."))
    owner_phone = serializers.SerializerMethodField(
        help_text=_("Masked (0812••••5678) unless the user may see personal data."))
    owner_gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True,
                                           read_only=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False,
                                        allow_null=True, read_only=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False,
                                         allow_null=True, read_only=True)
    reports = AnnualReportSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", *ENTERPRISE_FIELDS, "created_at", "updated_at", "reports"]
        read_only_fields = fields

    def get_owner_nik(self, enterprise: Enterprise) -> str:
        return enterprise.nik_for(self.context["request"].user)

    def get_owner_phone(self, enterprise: Enterprise) -> str:
        return enterprise.phone_for(self.context["request"].user)


# --- reading many at once --------------------------------------------------------------------
# The API reads enterprises as values() rows and writes their payloads with RowWriter instead of
# model instances and nested serializers: a page of 50 with every year and class is several times
# faster. The keys, their order, their sources and their representation still come from the two
# serializers above, which stay the one definition (and the schema); a test compares the output.

# Fields whose to_representation returns a database value of the right type unchanged.
AS_IS = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField,
         serializers.BooleanField)
# Report fields that are model properties rather than columns, computed in the query instead.
COMPUTED_REPORT_FIELDS = {"workers_total": F("workers_male") + F("workers_female")}


class RowWriter:
    """The payloads of `serializer` for plain rows (dicts), key for key in the serializer's order.

    A value comes from the row under the field's source, through the field's to_representation
    unless that would return it unchanged; None stays None, as in DRF. Method fields and nested
    serializers read the row under their own name: the caller puts their payload there.
    """

    def __init__(self, serializer: serializers.Serializer) -> None:
        self.columns: list[tuple[str, str, Callable[[Any], Any] | None]] = []
        self.given: list[str] = []
        self._datetimes: set[str] = set()
        for name, field in serializer.fields.items():
            if field.source == "*" or isinstance(field, serializers.BaseSerializer):
                self.given.append(name)
                self.columns.append((name, name, None))
                continue
            convert = None if _as_is(field) else field.to_representation
            self.columns.append((name, field.source, convert))
            if _plain_iso_datetime(field):
                self._datetimes.add(name)

    @property
    def sources(self) -> list[str]:
        """What the row must hold besides the given names."""
        return [source for name, source, _c in self.columns if name not in self.given]

    def many(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The payload of each row. DateTimeField looks the time zone up for every value (a
        thread-local read each); here it is looked up once for all of them."""
        iso = _iso_in(timezone.get_current_timezone())
        columns = [(name, source, iso if name in self._datetimes else convert)
                   for name, source, convert in self.columns]
        payloads = []
        for row in rows:
            payload = {}
            for name, source, convert in columns:
                value = row[source]
                payload[name] = value if convert is None or value is None else convert(value)
            payloads.append(payload)
        return payloads


def _as_is(field: serializers.Field) -> bool:
    """True when the field's to_representation returns a database value unchanged."""
    if type(field) is serializers.BigIntegerField:
        return not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    return type(field) in AS_IS


def _plain_iso_datetime(field: serializers.Field) -> bool:
    """A DateTimeField in ISO 8601 in the current time zone, as DRF does by default."""
    return (type(field) is serializers.DateTimeField and settings.USE_TZ
            and not hasattr(field, "timezone")
            and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601)


def _iso_in(zone) -> Callable[[datetime], str]:
    """DateTimeField.to_representation of an aware datetime, for one time zone."""
    def iso(value: datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return iso


@cache
def _writers() -> tuple[RowWriter, RowWriter]:
    """Built once per process, on first use (a ModelSerializer needs the models loaded)."""
    return RowWriter(EnterpriseSerializer()), RowWriter(AnnualReportSerializer())


def enterprise_columns() -> list[str]:
    """The Enterprise columns an EnterpriseSerializer payload reads: pass them to values()."""
    writer = _writers()[0]
    return ["id", *writer.sources, *(name for name in writer.given if name in PERSONAL_MASKS)]


def enterprise_payloads(rows: Iterable[dict[str, Any]], user) -> list[dict[str, Any]]:
    """EnterpriseSerializer payloads of `values(*enterprise_columns())` rows as `user` may see
    them, with every year's figures and classes: two queries, however many rows."""
    rows = [_masked(row, user) for row in rows]
    reports = _reports_by_enterprise(*_report_tuples([row["id"] for row in rows]))
    return _enterprise_payloads(rows, reports)


def _masked(row: dict[str, Any], user) -> dict[str, Any]:
    for name in PERSONAL_MASKS:
        row[name] = shown_to(user, name, row[name])
    return row


def _enterprise_payloads(rows: list[dict[str, Any]],
                         reports: Mapping[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    for row in rows:
        row["reports"] = reports.get(row["id"], [])
    return _writers()[0].many(rows)


def _report_rows(enterprise_ids: list[int]) -> QuerySet:
    writer = _writers()[1]
    columns = [s for s in writer.sources if s not in COMPUTED_REPORT_FIELDS]
    return (AnnualReport.objects.filter(enterprise_id__in=enterprise_ids)
            .order_by("enterprise_id", "year")
            .values("id", "enterprise_id", *columns, **COMPUTED_REPORT_FIELDS))


# A page's three queries by id: compiled once, then only run (see CompiledValues).
ENTERPRISE_ROWS = CompiledValues(lambda ids: Enterprise.objects.filter(pk__in=ids).order_by()
                                 .values(*enterprise_columns()))
REPORT_ROWS = CompiledValues(_report_rows)
CLASS_ROWS = CompiledValues(lambda ids: SizeClassification.objects.filter(
    enterprise_id__in=ids).order_by("report_id", "rule")
    .values("report_id", "rule", "kelas", "naik_kelas"))


def enterprise_rows(ids: list[int]) -> list[dict[str, Any]]:
    """`values(*enterprise_columns())` of these enterprises in the order of `ids` (unscoped:
    the ids come from a scoped query); an id gone since that query is left out."""
    by_id = {row["id"]: row for row in ENTERPRISE_ROWS.rows(ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def report_payloads(enterprise_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """AnnualReportSerializer payloads of these enterprises by enterprise, oldest year first."""
    return _reports_by_enterprise(*_report_tuples(enterprise_ids))


def _report_tuples(enterprise_ids: list[int]) -> tuple[list[str], list, list]:
    """The report rows (names, tuples: id and enterprise_id first, by enterprise and year) and
    the class rows (report_id, rule, kelas, naik_kelas) of these enterprises."""
    names, reports = REPORT_ROWS.named_tuples(enterprise_ids)
    return names, reports, CLASS_ROWS.tuples(enterprise_ids)


def _reports_by_enterprise(names: list[str], reports: list,
                           classes: Iterable) -> dict[int, list[dict[str, Any]]]:
    by_report: dict[int, dict[str, tuple[str, bool | None]]] = defaultdict(dict)
    for report_id, rule, kelas, naik_kelas in classes:
        by_report[report_id][rule] = (kelas, naik_kelas)
    rows = [dict(zip(names, report)) for report in reports]
    for row in rows:
        row["classes"] = classes_payload(by_report.get(row["id"], {}))
    by_enterprise: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row, payload in zip(rows, _writers()[1].many(rows), strict=True):
        by_enterprise[row["enterprise_id"]].append(payload)
    return by_enterprise


# --- the same payloads, written once -----------------------------------------------------------
# A page's payloads cost more to build than its queries cost to run. Each enterprise's JSON is
# kept in the process, keyed by everything it is written from: the time zone of the
# timestamps, whether personal data is shown in clear, and the enterprise's row, every report
# row and every class row (on PostgreSQL as one digest of their text, elsewhere as the rows).
# The rows (or their digest) are read every time; only the writing is saved. So a change
# anywhere (an edit, a report, a reclassification, a merge, an import, even an UPDATE by hand)
# gives another key and a freshly written payload: an old one cannot come back, and a user who
# may not see personal data can only meet payloads written with the masked values.

FRAGMENTS_KEPT = 4096  # per process; a page of 50 with every year is about 100 kB


class FragmentCache:
    """A bounded LRU of {key: JSON text}, safe for gthread's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            fragment = self._items.get(key)
            if fragment is not None:
                self._items.move_to_end(key)
            return fragment

    def get_many(self, keys: list[tuple]) -> list[bytes | None]:
        with self._lock:
            found = [self._items.get(key) for key in keys]
            for key, fragment in zip(keys, found):
                if fragment is not None:
                    self._items.move_to_end(key)
            return found

    def put(self, key: tuple, fragment: bytes) -> None:
        with self._lock:
            self._items[key] = fragment
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


FRAGMENTS = FragmentCache(FRAGMENTS_KEPT)
# Equal Decimals may be written differently (0 and -0 on SQLite): their text joins the key.
ENTERPRISE_DECIMALS = ("latitude", "longitude")
REPORT_DECIMALS = ("capacity",)


def enterprise_fragments(ids: list[int], user) -> Fragments:
    """The JSON of `enterprise_payloads(enterprise_rows(ids), user)`, one text per enterprise
    (FastJSONRenderer writes them as they are), each written only when its rows differ from
    every kept one. On PostgreSQL a page whose payloads are all kept costs one query of 50
    digests; elsewhere the key is the rows themselves (the same three queries)."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return _fragments_by_digest(ids, user)
    return _fragments_by_rows(ids, user)


def _key_head(user) -> tuple[str, bool]:
    """What a payload depends on besides the rows: the time zone of its timestamps, and
    whether its personal data is in clear text."""
    return timezone.get_current_timezone_name(), bool(user.can_view_personal_data)


def _fragments_by_rows(ids: list[int], user) -> Fragments:
    rows = [_masked(row, user) for row in enterprise_rows(ids)]
    names, reports, classes = _report_tuples(ids)
    decimals = [names.index(name) for name in REPORT_DECIMALS] if reports else []
    classes_of: dict[int, list[tuple]] = defaultdict(list)
    for row in classes:  # by report and rule
        classes_of[row[0]].append(tuple(row))
    reports_of: dict[int, list[tuple]] = defaultdict(list)
    for report in reports:  # (id, enterprise_id, ...)
        reports_of[report[1]].append((tuple(report), *[str(report[i]) for i in decimals],
                                      *classes_of.get(report[0], ())))
    head = _key_head(user)
    keys = [(*head, *row.values(), *[str(row[name]) for name in ENTERPRISE_DECIMALS],
             *reports_of.get(row["id"], ())) for row in rows]
    fragments = FRAGMENTS.get_many(keys)
    missing = [i for i, fragment in enumerate(fragments) if fragment is None]
    if missing:
        # Written from the very rows of the keys, never from a second read.
        written = _written([rows[i] for i in missing], names, reports, classes)
        for i in missing:
            fragments[i] = written[rows[i]["id"]]
            FRAGMENTS.put(keys[i], fragments[i])
    return Fragments(fragments)


def _written(rows: list[dict[str, Any]], names: list[str], reports: list,
             classes: list) -> dict[int, bytes]:
    """The JSON of each (masked) enterprise row, with those of its reports and classes that
    are among `reports` and `classes` (`_report_tuples`), by enterprise id."""
    wanted = {row["id"] for row in rows}
    wanted_reports = [report for report in reports if report[1] in wanted]
    report_ids = {report[0] for report in wanted_reports}
    payloads = _enterprise_payloads(rows, _reports_by_enterprise(
        names, wanted_reports, [c for c in classes if c[0] in report_ids]))
    renderer = FastJSONRenderer()
    return {row["id"]: renderer.render(payload)
            for row, payload in zip(rows, payloads, strict=True)}


# On PostgreSQL the key is a digest of the text of what a payload is written from: the
# enterprise's row and its report rows (whole rows, so any column counts, even one no payload
# shows) and its class rows' report, rule, kelas and naik_kelas (the columns CLASS_ROWS reads;
# read whole, they would double the query's cost). One short query per page finds out whether
# every payload is kept; rows are read only for those that are not, together with their digests
# in one snapshot, so a payload is only ever kept under the digest of the rows it was written
# from.
DIGESTS_SQL = """
    SELECT e.id, sha256(convert_to(e::text
        || '|' || COALESCE((SELECT string_agg(r::text, ';' ORDER BY r.year)
                            FROM {reports} r WHERE r.enterprise_id = e.id), '')
        || '|' || COALESCE((SELECT string_agg(
                                ROW(c.report_id, c.rule, c.kelas, c.naik_kelas)::text,
                                ';' ORDER BY c.report_id, c.rule)
                            FROM {classes} c WHERE c.enterprise_id = e.id), ''), 'UTF8'))
    FROM {enterprises} e WHERE e.id = ANY(%s)
"""


@cache
def _digests_sql() -> str:
    return DIGESTS_SQL.format(enterprises=Enterprise._meta.db_table,
                              reports=AnnualReport._meta.db_table,
                              classes=SizeClassification._meta.db_table)


def enterprise_digests(ids: list[int]) -> dict[int, bytes]:
    """The rows' digest of each of these enterprises that exists (PostgreSQL)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_digests_sql(), [list(ids)])
        return {pk: bytes(digest) for pk, digest in cursor.fetchall()}


def _fragments_by_digest(ids: list[int], user) -> Fragments:
    head = _key_head(user)
    digests = enterprise_digests(ids)
    ids = [pk for pk in ids if pk in digests]  # gone since the page's ids were read
    fragments = FRAGMENTS.get_many([(*head, digests[pk]) for pk in ids])
    missing = [pk for pk, fragment in zip(ids, fragments) if fragment is None]
    if missing:
        with one_snapshot() as exact:
            digests = enterprise_digests(missing)
            rows = [_masked(row, user) for row in ENTERPRISE_ROWS.rows(missing)]
            written = _written(rows, *_report_tuples(missing))
            if not exact:  # each read saw its own snapshot: keep only what did not change
                after = enterprise_digests(missing)
                digests = {pk: d for pk, d in digests.items() if after.get(pk) == d}
        for pk, text in written.items():
            if pk in digests:
                FRAGMENTS.put((*head, digests[pk]), text)
        fragments = [fragment if fragment is not None else written.get(pk)
                     for pk, fragment in zip(ids, fragments)]
    return Fragments([fragment for fragment in fragments if fragment is not None])


# --- writing ---------------------------------------------------------------------------------

@extend_schema_field({
    "anyOf": [{"type": "integer", "minimum": 0, "maximum": BIGINT_MAX},
              {"type": "string", "maxLength": 40, "example": "Rp 1.500.000,-"}],
    "nullable": True,
    "description": "Whole rupiah: a number, or written the way officials do (1.500.000).",
}, component_name="RupiahAmount")
class AmountField(serializers.Field):
    """An amount as a JSON number or as text; the form's RupiahField reads both."""

    default_error_messages = {"invalid": _("Amount must be a number of rupiah.")}

    def to_internal_value(self, data: Any) -> int | float | str:
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            self.fail("invalid")
        return data

    def to_representation(self, value: int | None) -> int | None:
        return value


def _text(**kwargs: Any) -> serializers.CharField:
    """A string the form validates (length, digits, choices), so blank passes through to it."""
    return serializers.CharField(allow_blank=True, **kwargs)


class _ToTheForm:
    """A field documented by its type (an enum, an integer, a number) whose value goes to the web
    form as it was sent: the form checks it, so a wrong value gets the form's message (Django's
    wording, in the active language), as on the web page."""

    def to_internal_value(self, data: Any) -> Any:
        return data


class FormChoiceField(_ToTheForm, serializers.ChoiceField):
    pass


class FormIntegerField(_ToTheForm, serializers.IntegerField):
    pass


class FormDecimalField(_ToTheForm, serializers.DecimalField):
    pass


class AnnualReportWriteSerializer(serializers.Serializer):
    """One year's figures (the year is in the URL). PUT replaces them; PATCH changes some."""

    workers_male = FormIntegerField(default=0)
    workers_female = FormIntegerField(default=0)
    investment = AmountField(required=False, allow_null=True)
    land_buildings_value = AmountField(required=False, allow_null=True)
    working_capital = AmountField(required=False, allow_null=True)
    sales = AmountField(required=False, allow_null=True)
    capacity = FormDecimalField(None, None, coerce_to_string=False, required=False,
                                allow_null=True)
    capacity_unit = _text(required=False)
    production_value = AmountField(required=False, allow_null=True)
    raw_material_value = AmountField(required=False, allow_null=True)
    source = _text(required=False)


class NewAnnualReportSerializer(AnnualReportWriteSerializer):
    """One year's figures sent with a new enterprise."""

    year = serializers.IntegerField()


class EnterpriseWriteSerializer(serializers.Serializer):
    """A new enterprise, optionally with yearly figures; all of it is saved, or none of it."""

    name = _text()
    legal_form = FormChoiceField(choices=LegalForm.choices, default=LegalForm.PERORANGAN)
    nib = _text(required=False, allow_null=True, help_text=_("13 digits from OSS, or null."))
    npwp = _text(required=False)
    owner_name = _text()
    owner_nik = _text(required=False, help_text=_(
        "16 digits. Ignored for users who may not see personal data."))
    owner_gender = FormChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    owner_phone = _text(required=False, help_text=_(
        "Ignored for users who may not see personal data."))
    kecamatan = _text(help_text=_("Kode wilayah of a kecamatan in your wilayah, e.g. 16.07.01."))
    desa = _text(required=False, allow_null=True,
                 help_text=_("Kode wilayah of a desa/kelurahan in that kecamatan."))
    address = _text(required=False)
    latitude = FormDecimalField(None, None, coerce_to_string=False, required=False,
                                allow_null=True)
    longitude = FormDecimalField(None, None, coerce_to_string=False, required=False,
                                 allow_null=True)
    kbli = _text(required=False, allow_null=True, help_text=_("KBLI 2020 code, five digits."))
    products = _text(required=False)
    founded_year = FormIntegerField(required=False, allow_null=True)
    status = FormChoiceField(choices=Status.choices, default=Status.ACTIVE)
    reports = NewAnnualReportSerializer(many=True, required=False, help_text=_(
        "Yearly figures saved with the enterprise, in the same transaction."))

    @property
    def actor(self):
        return self.context["request"].user

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The web form's rules; the validated data is the form's cleaned data."""
        reports = attrs.pop("reports", [])
        if not self.actor.can_view_personal_data:
            for name in PERSONAL_FIELDS:  # read-only for this user, as on the web form
                attrs.pop(name, None)
        form = EnterpriseForm(data=_form_data(self.instance, ENTERPRISE_FIELDS, attrs),
                              instance=self.instance, user=self.actor)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        cleaned = {k: v for k, v in form.cleaned_data.items() if k in ENTERPRISE_FIELDS}
        return {**cleaned, "reports": reports}

    def create(self, validated_data: dict[str, Any]) -> Enterprise:
        reports = validated_data.pop("reports")
        with transaction.atomic():
            enterprise = _call(services.register_enterprise, actor=self.actor,
                               data=validated_data)
            _save_new_reports(enterprise, reports, actor=self.actor)
        return enterprise

    def update(self, instance: Enterprise, validated_data: dict[str, Any]) -> Enterprise:
        validated_data.pop("reports", None)
        return _call(services.update_enterprise, instance, actor=self.actor,
                     changes=validated_data)


class EnterpriseUpdateSerializer(EnterpriseWriteSerializer):
    """Changes to an enterprise; figures change through /reports/{year}/."""

    reports = None


def _form_data(instance, fields: list[str], attrs: dict[str, Any]) -> dict[str, Any]:
    """What the web form would have posted: the record's current values, then the changes."""
    data = model_to_dict(instance, fields=fields) if instance is not None else {}
    data.update(attrs)
    data["kabkota"] = ""  # the form's kab/kota picker only narrows its kecamatan list
    return {name: "" if value is None else value for name, value in data.items()}


def _call(service, *args: Any, **kwargs: Any):
    """A service call whose model validation errors come back as field errors."""
    try:
        return service(*args, **kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(field_errors(exc)) from exc


def save_report(enterprise: Enterprise, *, actor, year: int, attrs: dict[str, Any],
                report: AnnualReport | None = None, partial: bool = False) -> AnnualReport:
    """Validate one year's figures with the web form and save them through the service.

    `report` is the year's current figures, if any: a partial change starts from them, a full
    one replaces them.
    """
    data = _form_data(report if partial else None, REPORT_FIELDS, {**attrs, "year": year})
    form = AnnualReportForm(data=data, instance=report, enterprise=enterprise)
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    return _call(services.save_annual_report, enterprise, actor=actor, year=year,
                 figures=form.figures())


def _save_new_reports(enterprise: Enterprise, reports: list[dict[str, Any]], *, actor) -> None:
    """Save every report, or raise with the errors by position in the list (DRF's shape for
    list errors); the caller's transaction then undoes the enterprise too."""
    errors: dict[int, Any] = {}
    for index, attrs in enumerate(reports):
        attrs = dict(attrs)
        try:
            save_report(enterprise, actor=actor, year=attrs.pop("year"), attrs=attrs)
        except serializers.ValidationError as exc:
            errors[index] = exc.detail
    if errors:
        raise serializers.ValidationError({"reports": errors})
