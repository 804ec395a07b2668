"""/api/v1/indicators/?wilayah=16.07&tahun=2024: exactly the object of `compute_indicators`,
the same keys as `naikkelas indicators --json`, for a wilayah inside the user's scope."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _, gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.core.api import ApiSchema
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.indicators.definitions import GROWTH_KEYS
from naikkelas.indicators.services import compute_indicators, indicator_wilayah

GROWTH = [key.split(".")[0] for key in GROWTH_KEYS]

class IndicatorQuerySerializer(serializers.Serializer):
    wilayah = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy(
            "A provinsi, kab/kota or kecamatan code, or 'nasional'. Default: your wilayah."))
    tahun = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR,
                                     help_text=gettext_lazy("Year of the figures, e.g. 2024."))

    def validate_wilayah(self, value: str) -> str:
        """The rules of the indicators command: a known code down to kecamatan level."""
        try:
            return indicator_wilayah(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


def _counts(description: str, keys: list[str]) -> dict[str, Any]:
    """An object of counts under fixed keys."""
    return {"type": "object", "description": description,
            "properties": {key: {"type": "integer"} for key in keys}, "required": keys}


RULE_IDS = list(RULES)
RULE_SCHEMA = {  # indicators.services._rule_meta
    "type": "object",
    "properties": {"name": {"type": "string"}, "basis": {"type": "string"},
                   "source": {"type": "string"}, "valid_from": {"type": "string", "format": "date"},
                   "valid_until": {"type": "string", "format": "date", "nullable": True},
                   "classes": {"type": "array", "items": {"type": "string"}}},
    "required": ["name", "basis", "source", "valid_from", "valid_until", "classes"],
}
INDICATORS_SCHEMA = {
    "type": "object",
    "properties": {
        "wilayah": {"type": "string", "description": "Kode wilayah; empty for nasional."},
        "nama_wilayah": {"type": "string"},
        "tahun": {"type": "integer"},
        "jumlah_usaha": {"type": "integer", "description": "Enterprises with figures that year."},
        "tenaga_kerja": _counts("Workers.", ["laki_laki", "perempuan", "total"]),
        "investasi": {"type": "integer", "description": "Rupiah, excl. land and buildings."},
        "omzet": {"type": "integer", "description": "Rupiah."},
        "nilai_produksi": {"type": "integer", "description": "Rupiah."},
        "kelas": {"type": "object", "description": "Enterprises per class, per size rule.",
                  "properties": {r.id: _counts(r.name, list(r.classes)) for r in RULES.values()},
                  "required": RULE_IDS},
        "naik_kelas": _counts("Enterprises whose class rose from the year before, per rule.",
                              RULE_IDS),
        "tanpa_data": _counts("Enterprises lacking a figure the rule needs, per rule.",
                              RULE_IDS),
        "pertumbuhan": {
            "type": "object",
            "description": "Growth in percent against the year before; null when that was 0.",
            "properties": {key: {"type": "number", "nullable": True} for key in GROWTH}},
        "rules": {"type": "object", "description": "What each size rule is.",
                  "properties": {r.id: RULE_SCHEMA for r in RULES.values()},
                  "required": RULE_IDS},
    },
    "required": ["wilayah", "nama_wilayah", "tahun", "jumlah_usaha", "tenaga_kerja", "investasi",
                 "omzet", "nilai_produksi", "kelas", "naik_kelas", "tanpa_data", "rules"],
}


class IndicatorsSerializer(serializers.Serializer):
    """Documents the object of `compute_indicators` (its keys are an external interface)."""


class IndicatorsScheme(OpenApiSerializerExtension):
    target_class = IndicatorsSerializer

    def map_serializer(self, auto_schema, direction) -> dict[str, Any]:
        return INDICATORS_SCHEMA


class IndicatorSchema(ApiSchema):
    def _is_list_view(self, serializer=None) -> bool:
        return False  # one object, although the router names the action `list`


class IndicatorViewSet(viewsets.ViewSet):
    """The indicators the offices report, for one wilayah and year."""

    schema = IndicatorSchema()

    @extend_schema(
        summary=gettext_lazy("Indicators of one wilayah and year"),
        parameters=[IndicatorQuerySerializer],
        responses=IndicatorsSerializer,
    )
    def list(self, request: Request) -> Response:
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        kode = query.validated_data.get("wilayah", request.user.kode_wilayah)
        if not request.user.covers(kode):
            raise NotFound
        return Response(compute_indicators(kode, query.validated_data["tahun"]))
