"""API payloads of financing."""

from rest_framework import serializers

from naikkelas.financing.models import LenderReport, Loan


class LoanSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kecamatan = serializers.CharField(source="enterprise.kecamatan_id", read_only=True)
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False,
                                    read_only=True)

    class Meta:
        model = Loan
        fields = ["id", "enterprise", "enterprise_name", "kecamatan", "lender", "scheme",
                  "contract_number", "plafon", "akad_date", "tenor_months", "rate",
                  "kur_sequence", "status", "updated_at"]
        read_only_fields = fields


class LenderReportSerializer(serializers.ModelSerializer):
    kabkota = serializers.CharField(source="kabkota_id", read_only=True)

    class Meta:
        model = LenderReport
        fields = ["id", "lender", "all_lenders", "kabkota", "period_start", "period_end",
                  "debtors", "disbursed", "source", "updated_at"]
        read_only_fields = fields
