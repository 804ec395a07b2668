"""/api/v1/kbli/: KBLI 2020 codes, by code (read-only, the same for every user)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from naikkelas.core.api import ApiSchema, KeysetPagination, NaturalKeyLookup
from naikkelas.kbli.models import Kbli, Level


class KbliSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kbli
        fields = ["kode", "judul", "uraian", "level", "division"]
        read_only_fields = fields


class KbliFilter(django_filters.FilterSet):
    level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int, label=_("Level"))
    division = django_filters.CharFilter(label=_("Golongan pokok (two digits)"))

    class Meta:
        model = Kbli
        fields = ["level", "division"]


@extend_schema_view(list=extend_schema(summary=_("KBLI 2020 codes")),
                    retrieve=extend_schema(summary=_("One KBLI code")))
class KbliViewSet(NaturalKeyLookup, viewsets.ReadOnlyModelViewSet):
    """The classification of business activities (Peraturan BPS 2/2020)."""

    schema = ApiSchema()
    queryset = Kbli.objects.all()
    serializer_class = KbliSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = KbliFilter
    ordering_fields = ["kode"]
    ordering = ["kode"]
    pagination_class = KeysetPagination
    lookup_field = "kode"
    lookup_value_regex = r"[^/]+"  # any value reaches the view, which answers 404 in JSON
    lookup_pattern = r"[A-Z]|[0-9]{2,5}"
