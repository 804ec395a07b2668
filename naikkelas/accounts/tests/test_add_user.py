import pytest
from django.core.management import CommandError, call_command

from naikkelas.accounts.models import Role, User
from naikkelas.core.models import AuditLog


@pytest.mark.django_db
def test_add_user_creates_audited_user(monkeypatch):
    monkeypatch.setenv("NK_TEST_PW", "Sentra-IKM-2024")
    call_command("add_user", "sari", "--role", "operator_kabkota", "--wilayah", "16.07",
                 "--password-env", "NK_TEST_PW", "--no-personal-data")
    user = User.objects.get(username="sari")
    assert (user.role, user.kode_wilayah, user.personal_data_access) == (
        Role.OPERATOR_KABKOTA, "16.07", False)
    assert user.check_password("Sentra-IKM-2024")
    entry = AuditLog.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.action == "create" and "password" not in entry.after


@pytest.mark.django_db
@pytest.mark.parametrize("password, wilayah", [("pendek1", "16.07"), ("Sentra-IKM-2024", "16")])
def test_add_user_refuses_weak_password_or_wrong_level(monkeypatch, password, wilayah):
    monkeypatch.setenv("NK_TEST_PW", password)
    with pytest.raises(CommandError):
        call_command("add_user", "sari", "--role", "operator_kabkota", "--wilayah", wilayah,
                     "--password-env", "NK_TEST_PW")
    assert not User.objects.filter(username="sari").exists()
    assert not AuditLog.objects.exists()
