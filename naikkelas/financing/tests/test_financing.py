"""Financing: scheme limits (table-driven, dated), loans hidden from pimpinan everywhere,
lender reports, indicators, timeline, query counts."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from naikkelas.accounts.models import Role
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import client_for, make_enterprise, make_user
from naikkelas.enterprises.tests.test_queries import count_queries
from naikkelas.enterprises.timeline import timeline_for
from naikkelas.financing import services
from naikkelas.financing.models import LenderReport, Loan

pytestmark = pytest.mark.django_db
JT = 1_000_000
MARK = "AKAD-RAHASIA-77"


def loan_data(scheme="mikro", plafon=50 * JT, rate="6", sequence=1,
              akad=datetime.date(2024, 3, 1), **extra) -> dict:
    return {"lender": "Bank Sumsel Babel", "scheme": scheme, "plafon": plafon,
            "akad_date": akad, "tenor_months": 36, "rate": Decimal(rate),
            "kur_sequence": sequence, "contract_number": MARK, **extra}


@pytest.mark.parametrize("scheme, plafon, rate, sequence, akad, error", [
    ("super_mikro", 10 * JT, "3", 1, datetime.date(2024, 1, 5), None),
    ("super_mikro", 10 * JT + 1, "3", 1, datetime.date(2024, 1, 5), "plafon"),
    ("super_mikro", 5 * JT, "6", 1, datetime.date(2024, 1, 5), "rate"),
    ("mikro", 10 * JT, "6", 1, datetime.date(2024, 1, 5), "plafon"),       # that is super mikro
    ("mikro", 10 * JT + 1, "6", 1, datetime.date(2024, 1, 5), None),
    ("mikro", 100 * JT, "6", 1, datetime.date(2024, 1, 5), None),
    ("mikro", 100 * JT + 1, "6", 1, datetime.date(2024, 1, 5), "plafon"),
    ("mikro", 50 * JT, "7", 1, datetime.date(2024, 1, 5), "rate"),
    ("mikro", 50 * JT, "7", 2, datetime.date(2024, 1, 5), None),
    ("mikro", 50 * JT, "9", 4, datetime.date(2024, 1, 5), None),
    ("mikro", 50 * JT, "9", 7, datetime.date(2024, 1, 5), None),
    ("mikro", 50 * JT, "9.5", 7, datetime.date(2024, 1, 5), "rate"),
    ("mikro", 50 * JT, "7", 2, datetime.date(2022, 5, 5), "rate"),          # 2022: 6% flat
    ("kecil", 100 * JT, "6", 1, datetime.date(2024, 1, 5), "plafon"),
    ("kecil", 500 * JT, "6", 1, datetime.date(2024, 1, 5), None),
    ("kecil", 500 * JT + 1, "6", 1, datetime.date(2024, 1, 5), "plafon"),
    ("khusus", 500 * JT, "6", 1, datetime.date(2024, 1, 5), None),
    ("khusus", 501 * JT, "6", 1, datetime.date(2024, 1, 5), "plafon"),
    ("non_kur", 2_000 * JT, "14", 1, datetime.date(2024, 1, 5), None),
    ("mikro", 900 * JT, "12", 1, datetime.date(2019, 1, 5), None),          # before the rules
])
def test_scheme_limits(personas, scheme, plafon, rate, sequence, akad, error):
    enterprise = make_enterprise()
    data = loan_data(scheme, plafon, rate, sequence, akad)
    if error is None:
        assert services.record_loan(enterprise, actor=personas.kab, data=data).pk
    else:
        with pytest.raises(ValidationError) as caught:
            services.record_loan(enterprise, actor=personas.kab, data=data)
        assert [e.code for e in caught.value.error_dict[error]] == [error]


def test_scheme_limits_are_told_in_indonesian(personas):
    # The model marks them with an alias (_t), which the catalogue had not collected.
    with pytest.raises(ValidationError) as caught:
        services.record_loan(make_enterprise(), actor=personas.kab,
                             data=loan_data("mikro", 100 * JT + 1, "7"))
    assert caught.value.message_dict == {
        "plafon": ["KUR mikro untuk plafon di atas Rp10.000.000 sampai Rp100.000.000 "
                   "(permenko-1-2022-perubahan-2023)."],
        "rate": ["Bunga pinjaman KUR mikro ini paling tinggi 6% setahun."]}


@pytest.fixture
def loan(personas) -> Loan:
    enterprise = make_enterprise("16.07.01", name="Usaha Berkredit")
    return services.record_loan(enterprise, actor=personas.kab, data=loan_data())


def test_loan_audit_rows_stay_out_of_the_enterprise_history(personas, loan):
    assert not AuditLog.objects.for_subject(loan.enterprise).exists()
    assert AuditLog.objects.for_subject(loan).get().action == "create"


def test_pimpinan_and_users_without_personal_data_never_see_a_loan(personas, loan):
    no_access = make_user("op_tanpa_pd", Role.OPERATOR_KABKOTA, "16.07",
                          personal_data_access=False)
    for user in (personas.pimpinan, no_access):
        client = client_for(user)
        page = client.get(reverse("financing:loan_list"))
        assert page.status_code == 200
        assert MARK not in page.content.decode() and "table" not in page.context
        # One debtor: the aggregate would be that loan, so it is held back from this role.
        assert (page.context["aggregates"], page.context["held_back"]) == ([], 1)
        for url in (reverse("financing:loan_edit", args=[loan.pk]),
                    reverse("financing:loan_delete", args=[loan.pk]),
                    reverse("api:loan-detail", args=[loan.pk])):
            assert client.get(url).status_code == 404, url
        assert client.get(reverse("api:loan-list")).json()["results"] == []
        detail = client.get(loan.enterprise.get_absolute_url() + "?tab=riwayat")
        assert MARK not in detail.content.decode()
        assert timeline_for(loan.enterprise, user) == []
    with pytest.raises(PermissionDenied):
        services.record_loan(loan.enterprise, actor=no_access, data=loan_data())


def test_aggregates_of_fewer_than_3_debtors_only_for_roles_that_see_loans(personas):
    for n in range(3):
        services.record_loan(make_enterprise("16.07.01"), actor=personas.kab,
                             data=loan_data("mikro", 50 * JT, "6", 1, datetime.date(2024, 2, 1)))
    for n in range(2):
        services.record_loan(make_enterprise("16.07.02"), actor=personas.kab,
                             data=loan_data("kecil", 200 * JT, "6", 1, datetime.date(2024, 2, 1)))
    url = reverse("financing:loan_list")
    seen = {(r["scheme"], r["debitur"]) for r in client_for(personas.kab).get(url)
            .context["aggregates"]}
    assert seen == {("mikro", 3), ("kecil", 2)}
    page = client_for(personas.pimpinan).get(url)
    assert [(r["scheme"], r["debitur"], r["nilai"]) for r in page.context["aggregates"]] == [
        ("mikro", 3, 150 * JT)]
    assert "200.000.000" not in page.content.decode()
    assert "kurang dari 3 debitur" in page.content.decode()


def test_operator_sees_and_edits_loans(personas, loan):
    client = client_for(personas.kab)
    assert MARK in client.get(reverse("financing:loan_list")).content.decode()
    assert client.get(reverse("api:loan-detail", args=[loan.pk])).json()["contract_number"] == \
        MARK
    response = client.post(reverse("financing:loan_edit", args=[loan.pk]), {
        **{k: v for k, v in loan_data().items() if k not in ("akad_date", "rate")},
        "akad_date": "2024-03-01", "rate": "6", "status": "lunas"})
    assert response.status_code == 302
    assert Loan.objects.get(pk=loan.pk).status == "lunas"
    assert len(timeline_for(loan.enterprise, personas.kab)) == 1


def test_loan_form_explains_a_limit_and_keeps_input(personas):
    enterprise = make_enterprise()
    response = client_for(personas.kab).post(
        reverse("financing:loan_create", args=[enterprise.pk]),
        {"lender": "BRI", "scheme": "super_mikro", "plafon": "Rp 25.000.000",
         "akad_date": "2024-02-01", "tenor_months": 12, "rate": "3", "kur_sequence": 1,
         "status": "berjalan"})
    assert response.status_code == 200
    assert "plafon" in response.context["form"].errors
    assert "25.000.000" in response.content.decode()


def test_every_loan_and_report_url_is_404_for_the_kalsel_officer(personas, loan):
    report = LenderReport.objects.create(lender="Bank Sumsel Babel", kabkota_id="16.07",
                                         period_start=datetime.date(2022, 1, 1),
                                         period_end=datetime.date(2022, 8, 31),
                                         disbursed=43_600 * JT)
    other = client_for(personas.other)
    for url in (reverse("financing:loan_edit", args=[loan.pk]),
                reverse("financing:loan_delete", args=[loan.pk]),
                reverse("financing:loan_create", args=[loan.enterprise_id]),
                reverse("financing:report_edit", args=[report.pk]),
                reverse("financing:report_delete", args=[report.pk]),
                reverse("api:loan-detail", args=[loan.pk]),
                reverse("api:lender-report-detail", args=[report.pk])):
        assert other.get(url).status_code == 404, url
    page = other.get(reverse("financing:loan_list"))
    assert page.context["aggregates"] == []
    assert "Bank Sumsel" not in other.get(reverse("financing:report_list")).content.decode()


def test_lender_report_from_the_form_and_for_pimpinan(personas):
    response = client_for(personas.prov).post(reverse("financing:report_create"), {
        "lender": "Bank Sumsel Babel", "kabkota": "16.07", "period_start": "2022-01-01",
        "period_end": "2022-08-31", "disbursed": "Rp 43.600.000.000", "source": "seed 000"})
    assert response.status_code == 302
    assert LenderReport.objects.get().disbursed == 43_600 * JT
    text = client_for(personas.pimpinan).get(reverse("financing:report_list")).content.decode()
    assert "43.600.000.000" in text
    response = client_for(personas.prov).post(reverse("financing:report_create"), {
        "lender": "X", "kabkota": "16.07", "period_start": "2022-09-01",
        "period_end": "2022-01-01", "disbursed": "1"})
    assert response.status_code == 200 and response.context["form"].errors


def test_kur_indicator_counts_distinct_debtors_with_an_akad_in_the_year(personas):
    a, b = make_enterprise("16.07.01"), make_enterprise("16.07.02")
    for enterprise, data in [(a, loan_data()), (a, loan_data(plafon=20 * JT, sequence=2,
                                                            rate="7")),
                             (b, loan_data(plafon=30 * JT)),
                             (b, loan_data(status="ditolak")),
                             (b, loan_data("non_kur", 700 * JT, "12")),
                             (b, loan_data(akad=datetime.date(2023, 6, 1)))]:
        services.record_loan(enterprise, actor=personas.kab, data=data)
    out = StringIO()
    call_command("indicators", wilayah="16.07", tahun="2024", as_json=True, stdout=out)
    assert json.loads(out.getvalue())["kur"] == {"debitur": 2, "nilai": 100 * JT}


@pytest.mark.parametrize("url", [reverse("financing:loan_list"),
                                 reverse("financing:loan_list") + "?scheme=mikro",
                                 reverse("financing:report_list"), reverse("api:loan-list"),
                                 reverse("api:lender-report-list")])
def test_list_queries_do_not_grow(personas, url):
    def add(n: int) -> None:
        for i in range(n):
            services.record_loan(make_enterprise(["16.07.01", "16.07.02"][i % 2]),
                                 actor=personas.kab, data=loan_data())
            LenderReport.objects.create(lender=f"Bank {i}", kabkota_id="16.07",
                                        period_start=datetime.date(2022, 1, 1),
                                        period_end=datetime.date(2022, 8, 31), disbursed=JT)
    add(2)
    client = client_for(personas.kab)
    few = count_queries(client, url)
    add(10)
    assert count_queries(client, url) == few
