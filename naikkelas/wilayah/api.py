"""/api/v1/wilayah/: the regions inside the user's wilayah, by kode (read-only)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from naikkelas.core.api import ApiSchema, KeysetPagination, NaturalKeyLookup
from naikkelas.wilayah.models import Level, Wilayah


class WilayahSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True,
                                   help_text=_("Kode of the region above, null for a provinsi."))

    class Meta:
        model = Wilayah
        fields = ["kode", "nama", "level", "parent"]
        read_only_fields = fields


class WilayahFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent_id", label=_("Kode of the parent"))
    level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int, label=_("Level"))

    class Meta:
        model = Wilayah
        fields = ["parent", "level"]


@extend_schema_view(list=extend_schema(summary=_("Regions in your wilayah")),
                    retrieve=extend_schema(summary=_("One region")))
class WilayahViewSet(NaturalKeyLookup, viewsets.ReadOnlyModelViewSet):
    """Kemendagri regions: provinsi, kab/kota, kecamatan, desa/kelurahan."""

    schema = ApiSchema()
    serializer_class = WilayahSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = WilayahFilter
    ordering_fields = ["kode"]
    ordering = ["kode"]
    pagination_class = KeysetPagination
    lookup_field = "kode"
    lookup_value_regex = r"[^/]+"  # kode wilayah has dots; any other value is a JSON 404
    lookup_pattern = r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?"

    def get_queryset(self) -> QuerySet:
        return Wilayah.objects.visible_to(self.request.user)
