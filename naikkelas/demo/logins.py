"""The demo accounts: one per role, one shared password, printed by `naikkelas demo-logins`."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from naikkelas.accounts.models import Role, User

DEMO_URL = "http://127.0.0.1:8000"
DEMO_PASSWORD = "Demo-IKM-2024!"


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: its role and the wilayah it is assigned to ('' = nasional)."""

    username: str
    role: str
    kode_wilayah: str
    full_name: str
    personal_data_access: bool = True


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMIN_PUSAT, "", "Admin Ditjen IKMA"),
    DemoLogin("sumsel", Role.OPERATOR_PROVINSI, "16", "Operator Disperindag Sumatera Selatan"),
    DemoLogin("banyuasin", Role.OPERATOR_KABKOTA, "16.07", "Operator Dinas Banyuasin"),
    DemoLogin("palembang", Role.OPERATOR_KABKOTA, "16.71", "Operator Dinas Palembang"),
    DemoLogin("banjarmasin", Role.OPERATOR_KABKOTA, "63.71", "Operator Disperdagin Banjarmasin"),
    DemoLogin("lampung", Role.OPERATOR_PROVINSI, "18", "Operator Disperindag Lampung"),
    DemoLogin("pimpinan", Role.PIMPINAN, "16.07", "Kepala Dinas Banyuasin",
              personal_data_access=False),
)


def ensure_demo_users() -> list[User]:
    """Create or reset every demo account (role, wilayah, password), in DEMO_LOGINS order.

    The password is hashed once and shared: hashing is deliberately slow, and these accounts share
    one published password anyway.
    """
    password = make_password(DEMO_PASSWORD)
    users = []
    for login in DEMO_LOGINS:
        first, _, last = login.full_name.partition(" ")
        user, _ = User.objects.update_or_create(
            username=login.username,
            defaults={"role": login.role, "kode_wilayah": login.kode_wilayah,
                      "personal_data_access": login.personal_data_access, "first_name": first,
                      "last_name": last, "is_active": True, "password": password},
        )
        user.full_clean()
        users.append(user)
    return users
