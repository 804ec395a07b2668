"""/api/v1/programs/ and /api/v1/aid-deliveries/: programs with their participants, and aid
handed over, read-only, under the same scope as the web pages (a record elsewhere is 404)."""

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from naikkelas.core.api import ApiSchema, KeysetPagination, UserFilterBackend
from naikkelas.programs.filters import ProgramFilter
from naikkelas.programs.models import (
    AidDelivery, AidItem, AttendanceStatus, Participation, Program,
)


class ParticipantSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text=_("enterprise, prospect or kub_group"))
    participant_id = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    attendance = serializers.ChoiceField(source="status", choices=AttendanceStatus.choices,
                                         read_only=True)

    class Meta:
        model = Participation
        fields = ["kind", "participant_id", "name", "attendance", "days_present",
                  "certificate_number", "certificate_date"]
        read_only_fields = fields

    def get_kind(self, obj: Participation) -> str:
        return "enterprise" if obj.enterprise_id else "prospect" if obj.prospect_id \
            else "kub_group"

    def get_participant_id(self, obj: Participation) -> int:
        return obj.enterprise_id or obj.prospect_id or obj.kub_group_id

    def get_name(self, obj: Participation) -> str:
        return str(obj.participant)


class AidItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AidItem
        fields = ["name", "quantity", "unit_value", "brand", "serial"]
        read_only_fields = fields


class AidDeliverySerializer(serializers.ModelSerializer):
    recipient_kind = serializers.SerializerMethodField()
    recipient_id = serializers.SerializerMethodField()
    recipient_name = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField(help_text=_("Sum of quantity × unit value (Rp)."))
    items = AidItemSerializer(many=True, read_only=True)

    class Meta:
        model = AidDelivery
        fields = ["id", "program", "recipient_kind", "recipient_id", "recipient_name",
                  "sk_number", "sk_date", "bast_number", "bast_date", "override_reason",
                  "value", "items"]
        read_only_fields = fields

    def get_recipient_kind(self, obj: AidDelivery) -> str:
        return "enterprise" if obj.enterprise_id else "kub_group"

    def get_recipient_id(self, obj: AidDelivery) -> int:
        return obj.enterprise_id or obj.kub_group_id

    def get_recipient_name(self, obj: AidDelivery) -> str:
        return str(obj.recipient)

    @extend_schema_field(serializers.IntegerField())
    def get_value(self, obj: AidDelivery) -> int:
        return sum(item.total for item in obj.items.all())


class AidDeliveryFilter(django_filters.FilterSet):
    """Deliveries of one program. A program elsewhere is refused as one that does not exist.
    (The web shows deliveries on each program's page, so there is no list FilterSet to reuse.)"""

    program = django_filters.ModelChoiceFilter(label=_("Program"),
                                               queryset=Program.objects.none())

    class Meta:
        model = AidDelivery
        fields = ["program"]

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.filters["program"].queryset = Program.objects.visible_to(user)


class ProgramSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    wilayah = serializers.CharField(source="kode_wilayah", read_only=True)

    class Meta:
        model = Program
        fields = ["id", "name", "program_type", "organiser_level", "wilayah", "organiser",
                  "budget_source", "pagu", "realisasi", "realisasi_reason", "start_date",
                  "end_date", "place", "target_participants", "target_recipients",
                  "participants"]
        read_only_fields = fields


def _participations() -> Prefetch:
    return Prefetch("participations", queryset=Participation.objects.select_related(
        "enterprise", "prospect", "kub_group").order_by("id"))


@extend_schema_view(list=extend_schema(summary=_("Programs in your wilayah")),
                    retrieve=extend_schema(summary=_("One program with its participants")))
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """Programs (kegiatan) with their participants and attendance."""

    schema = ApiSchema()
    serializer_class = ProgramSerializer
    filter_backends = [UserFilterBackend, OrderingFilter]
    filterset_class = ProgramFilter
    ordering_fields = ["id"]
    ordering = ["id"]
    pagination_class = KeysetPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet:
        return Program.objects.visible_to(self.request.user).prefetch_related(_participations())

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset).prefetch_related(_participations())


@extend_schema_view(list=extend_schema(summary=_("Aid handed over under programs in your "
                                             "wilayah")),
                    retrieve=extend_schema(summary=_("One aid handover with its items")))
class AidDeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """Aid deliveries: recipient, SK penerima, BAST and items."""

    schema = ApiSchema()
    serializer_class = AidDeliverySerializer
    filter_backends = [UserFilterBackend, OrderingFilter]
    filterset_class = AidDeliveryFilter
    ordering_fields = ["id"]
    ordering = ["id"]
    pagination_class = KeysetPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet:
        return (AidDelivery.objects.visible_to(self.request.user)
                .select_related("enterprise", "kub_group")
                .prefetch_related(Prefetch("items", queryset=AidItem.objects.order_by("id"))))
