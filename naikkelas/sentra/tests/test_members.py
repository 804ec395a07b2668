"""Members: only enterprises of the sentra's kab/kota; the fewer-than-5-similar-members flag."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import make_enterprise
from naikkelas.sentra import services
from naikkelas.sentra.models import Sentra
from naikkelas.sentra.testing import add_member, make_sentra

pytestmark = pytest.mark.django_db
JOINED = datetime.date(2022, 1, 10)


def flagged(sentra: Sentra) -> tuple[int, int, bool]:
    row = Sentra.objects.with_member_counts().get(pk=sentra.pk)
    return row.members_active, row.members_similar, row.flagged


def pempek_makers(sentra: Sentra, count: int, kecamatan: str = "16.07.01") -> list:
    members = []
    for _ in range(count):
        members.append(add_member(sentra, make_enterprise(kecamatan, kbli_id="10750",
                                                          products="pempek")))
    return members


def test_an_enterprise_of_the_same_kabkota_joins_and_is_audited(personas):
    sentra = make_sentra("16.07.01")
    enterprise = make_enterprise("16.07.05")
    member = services.add_sentra_member(sentra, actor=personas.kab, enterprise=enterprise,
                                        joined_on=JOINED)
    assert member.left_on is None
    row = AuditLog.objects.for_subject(sentra).get()
    assert row.object_type == "sentra.sentramember" and row.action == "create"


def test_an_enterprise_of_another_kabkota_is_refused(personas):
    sentra = make_sentra("16.07.01")
    with pytest.raises(ValidationError) as caught:
        services.add_sentra_member(sentra, actor=personas.prov,
                                   enterprise=make_enterprise("16.71.01"), joined_on=JOINED)
    assert [e.code for e in caught.value.error_dict["enterprise"]] == ["other_kabkota"]
    assert not sentra.memberships.exists()


def test_the_same_enterprise_cannot_be_an_open_member_twice(personas):
    sentra = make_sentra()
    enterprise = make_enterprise()
    services.add_sentra_member(sentra, actor=personas.kab, enterprise=enterprise,
                               joined_on=JOINED)
    with pytest.raises(ValidationError):
        services.add_sentra_member(sentra, actor=personas.kab, enterprise=enterprise,
                                   joined_on=JOINED)


def test_leaving_keeps_the_membership_and_a_second_leave_is_refused(personas):
    sentra = make_sentra()
    member = add_member(sentra, make_enterprise())
    services.end_sentra_membership(member, actor=personas.kab, left_on=datetime.date(2023, 5, 1))
    with pytest.raises(ValidationError):
        services.end_sentra_membership(member, actor=personas.kab,
                                       left_on=datetime.date(2023, 6, 1))
    with pytest.raises(ValidationError):  # before joining
        services.end_sentra_membership(add_member(sentra, make_enterprise()), actor=personas.kab,
                                       left_on=datetime.date(2020, 1, 1))


def test_four_similar_members_are_flagged_five_are_not():
    sentra = make_sentra(kbli_id="10750", komoditas="pempek")
    pempek_makers(sentra, 4)
    assert flagged(sentra) == (4, 4, True)
    pempek_makers(sentra, 1)
    assert flagged(sentra) == (5, 5, False)


def test_same_kbli_class_counts_as_similar_other_products_do_not():
    sentra = make_sentra(kbli_id="10213", komoditas="ikan asap")
    for kbli, products in [("10213", "ikan beku"), ("10219", "kerupuk ikan"),
                           ("10211", "ikan asin"), ("10750", "pempek"), ("13134", "sasirangan")]:
        add_member(sentra, make_enterprise(kbli_id=kbli, products=products))
    # 10211, 10213 and 10219 share the KBLI class 1021 (pengolahan ikan); the others do not.
    assert flagged(sentra) == (5, 3, True)


def test_products_naming_the_komoditas_count_when_the_kbli_differs_or_is_missing():
    sentra = make_sentra(kbli_id="16292", komoditas="tanggui")
    for _ in range(5):
        add_member(sentra, make_enterprise(kbli_id=None, products="Tanggui dan anyaman purun"))
    assert flagged(sentra) == (5, 5, False)


def test_former_future_deleted_and_inactive_members_do_not_count():
    sentra = make_sentra()
    pempek_makers(sentra, 4)
    today = timezone.localdate()
    add_member(sentra, make_enterprise(kbli_id="10750"), left_on=today)
    add_member(sentra, make_enterprise(kbli_id="10750"),
               joined_on=today + datetime.timedelta(days=1))
    add_member(sentra, make_enterprise(kbli_id="10750", deleted_at=timezone.now()))
    add_member(sentra, make_enterprise(kbli_id="10750", status="tutup"))
    assert flagged(sentra) == (4, 4, True)
