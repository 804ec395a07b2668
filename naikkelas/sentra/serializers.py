"""API payloads of sentra: regions by kode wilayah, KBLI by code; officers' phones masked by the
web's rule (`SentraOfficer.phone_for`)."""

from django.urls import reverse
from rest_framework import serializers

from naikkelas.programs.serializers import FacilitatorFields
from naikkelas.sentra.models import (
    Sentra, SentraFacility, SentraMember, SentraOfficer, SentraSupport,
)


class SentraMemberSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = SentraMember
        fields = ["id", "enterprise", "enterprise_name", "joined_on", "left_on"]
        read_only_fields = fields


class SentraOfficerSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = SentraOfficer
        fields = ["id", "kind", "name", "position", "phone", "email"]
        read_only_fields = fields

    def get_phone(self, officer: SentraOfficer) -> str:
        return officer.phone_for(self.context["request"].user)


class SentraFacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = SentraFacility
        fields = ["id", "kind", "name", "description", "year_built"]
        read_only_fields = fields


class SentraSupportSerializer(FacilitatorFields, serializers.ModelSerializer):
    class Meta:
        model = SentraSupport
        fields = ["id", "source", "year", "value", "description", "program", "program_name",
                  "facilitated_by"]
        read_only_fields = fields


class SentraSerializer(serializers.ModelSerializer):
    """A sentra with its member counts, the < 5 similar members flag, and its parts."""

    kecamatan = serializers.CharField(source="kecamatan_id", read_only=True)
    desa = serializers.CharField(source="desa_id", read_only=True, allow_null=True)
    kbli = serializers.CharField(source="kbli_id", read_only=True, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False,
                                        allow_null=True, read_only=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False,
                                         allow_null=True, read_only=True)
    sk_document = serializers.SerializerMethodField()
    members_active = serializers.IntegerField(read_only=True)
    members_similar = serializers.IntegerField(read_only=True)
    flagged = serializers.BooleanField(read_only=True)
    members = SentraMemberSerializer(source="memberships", many=True, read_only=True)
    officers = SentraOfficerSerializer(many=True, read_only=True)
    facilities = SentraFacilitySerializer(many=True, read_only=True)
    support = SentraSupportSerializer(many=True, read_only=True)

    class Meta:
        model = Sentra
        fields = ["id", "name", "komoditas", "kbli", "kecamatan", "desa", "address", "latitude",
                  "longitude", "description", "status", "formed_on", "sk_number", "sk_date",
                  "sk_document", "members_active", "members_similar", "flagged", "members",
                  "officers", "facilities", "support", "updated_at"]
        read_only_fields = fields

    def get_sk_document(self, sentra: Sentra) -> str | None:
        """The web URL of the SK document (served to users in scope only), or null."""
        if not sentra.sk_document:
            return None
        return reverse("sentra:sentra_sk_document", args=[sentra.pk])
