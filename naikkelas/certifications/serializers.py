"""API payload of a certificate."""

from rest_framework import serializers

from naikkelas.certifications.models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kecamatan = serializers.CharField(source="enterprise.kecamatan_id", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "enterprise", "enterprise_name", "kecamatan", "type", "number",
                  "issued_on", "valid_until", "facilitated_by", "notes", "updated_at"]
        read_only_fields = fields
