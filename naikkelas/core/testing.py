"""Fixed test personas and plain factory functions, shared by every app's tests."""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.test import Client

from naikkelas.accounts.models import Role, User
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.enterprises.services import reclassify

PASSWORD = "Rahasia-Uji-2024"
T = TypeVar("T")
_serial = itertools.count(1)


@dataclass
class Personas:
    """admin pusat; Sumatera Selatan provinsi officer; Banyuasin officer; Kalimantan Selatan officer
    (who must see nothing of Sumatera Selatan); a read-only pimpinan of Banyuasin."""

    admin: User
    prov: User
    kab: User
    other: User
    pimpinan: User

    def all(self) -> dict[str, User]:
        return {"admin": self.admin, "prov": self.prov, "kab": self.kab, "other": self.other,
                "pimpinan": self.pimpinan}


def make_user(username: str, role: str, kode: str, **extra) -> User:
    user = User(username=username, role=role, kode_wilayah=kode, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_personas() -> Personas:
    return Personas(
        admin=make_user("admin_pusat", Role.ADMIN_PUSAT, ""),
        prov=make_user("op_sumsel", Role.OPERATOR_PROVINSI, "16"),
        kab=make_user("op_banyuasin", Role.OPERATOR_KABKOTA, "16.07"),
        other=make_user("op_kalsel", Role.OPERATOR_PROVINSI, "63"),
        pimpinan=make_user("pimpinan_banyuasin", Role.PIMPINAN, "16.07"),
    )


def client_for(user: User) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def make_enterprise(kecamatan: str = "16.07.01", **fields) -> Enterprise:
    """An enterprise saved directly (no audit row): for arranging tests, not for testing services."""
    n = next(_serial)
    defaults = {"name": f"Usaha Uji {n}", "owner_name": f"Pemilik {n}", "products": "pempek"}
    enterprise = Enterprise(kecamatan_id=kecamatan, **{**defaults, **fields})
    enterprise.save()
    return enterprise


def make_report(enterprise: Enterprise, year: int, **figures) -> AnnualReport:
    """A saved annual report with its size classifications computed."""
    defaults = {"workers_male": 2, "workers_female": 1, "investment": 50_000_000,
                "working_capital": 50_000_000, "sales": 300_000_000}
    report = AnnualReport.objects.create(enterprise=enterprise, year=year, **{**defaults, **figures})
    reclassify(enterprise)
    return report


@contextmanager
def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Build shared test data once for a module, inside a transaction rolled back at the end.

    Use from a module-scoped fixture: `with built_once(django_db_blocker, build_world) as w: yield w`.
    Each test's own changes are still rolled back by the `db` fixture's savepoint.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        built = build()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
