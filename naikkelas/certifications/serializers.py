"""API payload of a certificate."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from naikkelas.certifications.forms import CertificateForm
from naikkelas.certifications.models import Certificate, CertificateType
from naikkelas.certifications.services import record_certificate
from naikkelas.core.api import field_errors, form_errors
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs.serializers import FacilitatorFields


class CertificateSerializer(FacilitatorFields, serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kecamatan = serializers.CharField(source="enterprise.kecamatan_id", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "enterprise", "enterprise_name", "kecamatan", "type", "number",
                  "issued_on", "valid_until", "program", "program_name", "facilitated_by",
                  "notes", "updated_at"]
        read_only_fields = fields


class CertificateWriteSerializer(serializers.Serializer):
    """A new certificate of an enterprise in the user's wilayah. Checked by the web form
    (CertificateForm: number formats, dates, the facilitating program in scope) and saved by
    services.record_certificate, so the API and the page share every rule and the audit row."""

    enterprise = serializers.IntegerField(help_text=_("Id of an enterprise in your wilayah."))
    type = serializers.ChoiceField(choices=CertificateType.choices)
    number = serializers.CharField(max_length=60)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    program = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "Id of the facilitating program: one of your wilayah that reaches the enterprise."))
    facilitated_by = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                           help_text=_("A facilitator that is not a recorded "
                                                       "program (not with program)."))
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @property
    def actor(self):
        return self.context["request"].user

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        enterprise = (Enterprise.objects.visible_to(self.actor).active()
                      .filter(pk=attrs.pop("enterprise")).first())
        if enterprise is None:
            raise serializers.ValidationError({"enterprise": [
                _("No enterprise with this id in your wilayah.")]})
        data = {name: "" if value is None else value for name, value in attrs.items()}
        form = CertificateForm(data=data, user=self.actor, enterprise=enterprise)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return {"enterprise": enterprise, "data": form.cleaned_data}

    def create(self, validated_data: dict[str, Any]) -> Certificate:
        try:
            return record_certificate(validated_data["enterprise"], actor=self.actor,
                                      data=validated_data["data"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(field_errors(exc)) from exc
