"""A user's role and kode wilayah must fit each other; the role decides edits and personal data."""

import pytest
from django.core.exceptions import ValidationError

from naikkelas.accounts.models import Role, User

pytestmark = pytest.mark.django_db  # clean() checks that the kode wilayah exists

ADMIN, PROV, KAB, PIMPINAN = (Role.ADMIN_PUSAT, Role.OPERATOR_PROVINSI, Role.OPERATOR_KABKOTA,
                              Role.PIMPINAN)


def user(role: str, kode: str, **extra) -> User:
    return User(username="uji", role=role, kode_wilayah=kode, **extra)


@pytest.mark.parametrize("role, kode", [
    (ADMIN, ""),
    (PROV, "16"),
    (KAB, "16.07"),
    (KAB, "16.71"),       # a kota
    (PIMPINAN, ""),
    (PIMPINAN, "63"),
    (PIMPINAN, "16.07"),
])
def test_clean_accepts_role_and_wilayah_that_fit(role, kode):
    user(role, kode).clean()


@pytest.mark.parametrize("role, kode", [
    (ADMIN, "16"),
    (ADMIN, "16.07"),
    (PROV, ""),
    (PROV, "16.07"),
    (KAB, ""),
    (KAB, "16"),
    (KAB, "16.07.01"),    # a kecamatan is below any assignment
    (PIMPINAN, "16.07.01"),
])
def test_clean_refuses_role_and_wilayah_that_do_not_fit(role, kode):
    with pytest.raises(ValidationError) as excinfo:
        user(role, kode).clean()
    assert "kode_wilayah" in excinfo.value.message_dict


MALFORMED = ["1", "160", "1607", "16.7", "16.07.", "16-07", " 16.07", "ab", "16.07.01.2001.1"]


@pytest.mark.parametrize("kode", MALFORMED)
def test_clean_refuses_malformed_codes(kode):
    for role in (PROV, KAB, PIMPINAN):
        with pytest.raises(ValidationError):
            user(role, kode).clean()


@pytest.mark.django_db
def test_malformed_code_is_reported_on_the_wilayah_field():
    with pytest.raises(ValidationError) as excinfo:
        user(KAB, "16.7").full_clean(exclude=["password"])
    assert set(excinfo.value.message_dict) == {"kode_wilayah"}


@pytest.mark.django_db
def test_full_clean_reports_the_wilayah_field():
    with pytest.raises(ValidationError) as excinfo:
        user(KAB, "16").full_clean(exclude=["password"])
    assert set(excinfo.value.message_dict) == {"kode_wilayah"}


@pytest.mark.django_db
def test_full_clean_reports_an_unknown_role_as_a_validation_error():
    with pytest.raises(ValidationError) as excinfo:
        user("kepala_dinas", "16.07").full_clean(exclude=["password"])
    assert "role" in excinfo.value.message_dict


@pytest.mark.parametrize("role, can_edit, personal", [
    (ADMIN, True, True),
    (PROV, True, True),
    (KAB, True, True),
    (PIMPINAN, False, False),    # personal_data_access is on, but the role never sees it
])
def test_rights_by_role(role, can_edit, personal):
    person = user(role, "")
    assert (person.can_edit, person.can_view_personal_data) == (can_edit, personal)


@pytest.mark.parametrize("role", [ADMIN, PROV, KAB, PIMPINAN])
def test_personal_data_switch_off_masks_for_every_role(role):
    assert not user(role, "", personal_data_access=False).can_view_personal_data


@pytest.mark.parametrize("role", [ADMIN, PROV, KAB])
def test_inactive_user_cannot_edit(role):
    assert not user(role, "", is_active=False).can_edit


@pytest.mark.parametrize("scope, kode, covered", [
    ("", "63.71.01", True),
    ("16", "16.07.01", True),
    ("16", "16", True),
    ("16.07", "16.07.01", True),
    ("16.07", "16.07", True),
    ("16.07", "16.71.01", False),
    ("16.07", "16", False),
    ("16", "63.71.01", False),
    ("1", "16.07.01", False),
])
def test_covers_by_prefix_on_whole_parts(scope, kode, covered):
    assert user(PIMPINAN, scope).covers(kode) is covered


def test_default_is_the_least_privileged_role():
    person = User(username="baru")
    assert person.role == PIMPINAN and not person.can_edit


def test_clean_refuses_a_code_that_is_not_a_region():
    with pytest.raises(ValidationError) as excinfo:
        user(PROV, "99").clean()
    assert "kode_wilayah" in excinfo.value.message_dict
