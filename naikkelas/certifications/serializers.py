"""API payload of a certificate."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from naikkelas.certifications.models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kecamatan = serializers.CharField(source="enterprise.kecamatan_id", read_only=True)
    program_name = serializers.CharField(
        source="program.name", read_only=True, allow_null=True, default=None,
        help_text=_("Name of the facilitating program, or null."))
    facilitated_by = serializers.CharField(
        source="facilitator", read_only=True,
        help_text=_("Who facilitated it: the program's name, else the facilitator as written."))

    class Meta:
        model = Certificate
        fields = ["id", "enterprise", "enterprise_name", "kecamatan", "type", "number",
                  "issued_on", "valid_until", "program", "program_name", "facilitated_by",
                  "notes", "updated_at"]
        read_only_fields = fields
