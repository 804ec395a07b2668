"""Walk every URL pattern of the project as every persona: out-of-scope users get nothing.

The walker reads the URL patterns themselves, so a new page is checked as soon as it is routed. A
pattern the walker does not understand (an unknown kwarg, an unclassified name) fails the walk with
a message saying what to add here: new URLs cannot slip past the scope checks.

Web pages are requested with each persona's session; API URLs (`api:*`) with each persona's
personal API token, the way another system calls them.
"""

import datetime
import io
import json
import re
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pypdf
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from naikkelas.accounts.models import ApiToken, User
from naikkelas.accounts.services import create_api_token
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import Personas, built_once, make_enterprise, make_personas, make_report
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.linkage.models import DuplicateCandidate, MergeRecord
from naikkelas.linkage.services import merge_enterprises
from naikkelas.certifications.tests import walk_data as certificate_walk
from naikkelas.financing.tests import walk_data as financing_walk
from naikkelas.sentra.tests import walk_data as sentra_walk
from naikkelas.programs.models import (
    AidDelivery, AidItem, KubGroup, KubMember, Participation, Program, Prospect,
)
from naikkelas.imports.models import ImportRun

pytestmark = pytest.mark.django_db
REPORT_YEAR = 2024
NOT_FOUND = {403, 404}


# --- the walker ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    name: str                   # namespaced, "enterprises:enterprise_edit"; "" when unnamed
    route: str                  # "usaha/<int:pk>/ubah/"
    kwargs: tuple[str, ...]     # named groups, from every level of includes
    positional: bool            # unnamed regex groups, which the walker cannot fill


def walk(patterns=None, namespace: str = "", prefix: str = "",
         kwargs: tuple[str, ...] = (), positional: bool = False) -> list[Route]:
    """Every URLPattern under the root URLconf, with its namespaced name and all its kwargs."""
    routes: list[Route] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex
        here_kwargs = kwargs + tuple(regex.groupindex)
        here_positional = positional or regex.groups > len(regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            routes += walk(pattern.url_patterns, inner, route, here_kwargs, here_positional)
        else:
            name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else ""
            routes.append(Route(name, route, here_kwargs, here_positional))
    return routes


ROUTES = walk()

# What each URL does decides what each persona must get.
PUBLIC = "public"            # the login page
LOGOUT = "logout"            # POST only
OWN_ACCOUNT = "own account"  # about the signed-in user, not about any wilayah
PAGE = "page"                # list / export / dashboard / picker: 200, but only in-scope data
CREATE = "create"            # editors 200; pimpinan 403
DETAIL = "detail"            # one enterprise: in scope 200, out of scope 404
WRITE = "write"              # one enterprise: editors in scope 200, pimpinan 403, out of scope 404
RESTORE = "restore"          # POST only, on a deleted enterprise, admin pusat only
TOKENS = "own tokens"        # the user's API tokens: 200 for everyone; POST creates one (200)
TOKEN_REVOKE = "revoke"      # POST only, on a token: its owner 302, anyone else 404
DOCS = "docs"                # the API schema and its documentation: 200, even anonymously
API_PAGE = "api page"        # the API root: 200 with a token, 401 without
API_LIST = "api list"        # 200 with only in-scope data; a filter reaching elsewhere may be 400
API_DETAIL = "api detail"    # one enterprise / year / region: in scope 200, out of scope 404
API_SHARED = "api shared"    # reference data that is the same for every user (KBLI): 200
API_QUERY = "api query"      # about the wilayah in its query string: in scope 200, else 404
API_UNKNOWN = "api unknown"  # any other path under /api/v1/: 404 in JSON, for everyone
IMPORT_STEP = "import step"  # preview/confirm of a staged upload: pimpinan 403, else 404/405
UPLOAD = "upload"            # the import upload form: editors 200, pimpinan 403; its POST only
                             # stages a file for the preview (naikkelas/imports/tests)
API_START = "api start"      # POST only (starting an import): 405 on GET with a token
# One loan (personal financial data): editors who may see personal data in scope 200; everyone
# else 404, pimpinan of the same wilayah included (they must not learn that it exists).
PERSONAL = "personal"
API_PERSONAL = "api personal"  # one loan by API: in scope with personal-data access 200, else 404
API_KINDS = {API_START, API_PAGE, API_LIST, API_DETAIL, API_SHARED, API_QUERY, API_UNKNOWN,
             API_PERSONAL}

KINDS = {
    "accounts:login": PUBLIC,
    "accounts:logout": LOGOUT,
    "accounts:password_change": OWN_ACCOUNT,
    "dashboard:home": PAGE,
    "dashboard:definitions": PAGE,
    "dashboard:wilayah": DETAIL,
    "dashboard:report_xlsx": DETAIL,
    "dashboard:report_pdf": DETAIL,
    "dashboard:open_data": DOCS,
    "dashboard:open_data_csv": DOCS,
    "dashboard:plotly_js": DOCS,
    "enterprises:enterprise_list": PAGE,
    "enterprises:enterprise_export": PAGE,
    "enterprises:enterprise_export_xlsx": PAGE,
    "enterprises:deleted_list": PAGE,
    "enterprises:deleted_list_export": PAGE,
    "wilayah:children_options": PAGE,
    "enterprises:enterprise_create": CREATE,
    "enterprises:enterprise_detail": DETAIL,
    "enterprises:enterprise_edit": WRITE,
    "enterprises:enterprise_delete": WRITE,
    "enterprises:report_create": WRITE,
    "enterprises:report_edit": WRITE,
    "enterprises:report_delete": WRITE,
    "enterprises:enterprise_restore": RESTORE,
    "accounts:token_list": TOKENS,
    "accounts:token_revoke": TOKEN_REVOKE,
    "api-schema": DOCS,
    "api-docs": DOCS,
    "api:api-root": API_PAGE,
    "api:enterprise-list": API_LIST,
    "api:enterprise-detail": API_DETAIL,
    "api:enterprise-report": API_DETAIL,
    "api:wilayah-list": API_LIST,
    "api:wilayah-detail": API_DETAIL,
    "api:kbli-list": API_SHARED,
    "api:kbli-detail": API_SHARED,
    "api:indicators-list": API_QUERY,
    "api:not-found": API_UNKNOWN,
    "linkage:candidate_list": PAGE,
    "linkage:candidate_list_export": PAGE,
    "linkage:candidate_detail": DETAIL,
    "linkage:candidate_merge": WRITE,
    "linkage:candidate_dismiss": WRITE,
    "linkage:merge_undo": WRITE,
    "api:duplicate-list": API_LIST,
    "api:duplicate-detail": API_DETAIL,
    "sentra:sentra_list": PAGE,
    "sentra:sentra_counts": PAGE,
    "sentra:sentra_list_export": PAGE,
    "sentra:sentra_counts_export": PAGE,
    "sentra:sentra_create": CREATE,
    "sentra:sentra_detail": DETAIL,
    "sentra:sentra_sk_document": DETAIL,
    "sentra:sentra_edit": WRITE,
    "sentra:sentra_status": WRITE,
    "sentra:member_add": WRITE,
    "sentra:member_leave": WRITE,
    "sentra:officer_add": WRITE,
    "sentra:officer_delete": WRITE,
    "sentra:facility_add": WRITE,
    "sentra:facility_delete": WRITE,
    "sentra:support_add": WRITE,
    "sentra:support_delete": WRITE,
    "api:sentra-list": API_LIST,
    "api:sentra-detail": API_DETAIL,
    "certifications:certificate_list": PAGE,
    "certifications:certificate_expiring": PAGE,
    "certifications:certificate_list_export": PAGE,
    "certifications:certificate_expiring_export": PAGE,
    "certifications:certificate_create": WRITE,
    "certifications:certificate_edit": WRITE,
    "certifications:certificate_delete": WRITE,
    "api:certificate-list": API_LIST,
    "api:certificate-detail": API_DETAIL,
    "financing:loan_list": PAGE,
    "financing:loan_list_export": PAGE,
    "financing:loan_create": WRITE,
    "financing:loan_edit": PERSONAL,
    "financing:loan_delete": PERSONAL,
    "financing:report_list": PAGE,
    "financing:report_list_export": PAGE,
    "financing:report_create": CREATE,
    "financing:report_edit": WRITE,
    "financing:report_delete": WRITE,
    "api:loan-list": API_LIST,
    "api:loan-detail": API_PERSONAL,
    "api:lender-report-list": API_LIST,
    "api:lender-report-detail": API_DETAIL,
    "imports:import_list": PAGE,
    "imports:import_list_export": PAGE,
    "imports:import_template": PAGE,
    "imports:import_upload": UPLOAD,
    "imports:import_preview": IMPORT_STEP,
    "imports:import_confirm": IMPORT_STEP,
    "imports:import_check_progress": IMPORT_STEP,
    "imports:import_detail": DETAIL,
    "imports:import_progress": DETAIL,
    "imports:import_errors": DETAIL,
    "imports:import_undo": RESTORE,
    "api:import-list": API_START,
    "api:import-detail": API_DETAIL,
    "programs:program_list": PAGE,
    "programs:prospect_list": PAGE,
    "programs:kub_list": PAGE,
    "programs:program_list_export": PAGE,
    "programs:prospect_list_export": PAGE,
    "programs:kub_list_export": PAGE,
    "programs:program_create": CREATE,
    "programs:prospect_create": CREATE,
    "programs:kub_create": CREATE,
    "programs:program_detail": DETAIL,
    "programs:aid_eligibility": DETAIL,
    "programs:aid_document": DETAIL,
    "programs:prospect_detail": DETAIL,
    "programs:kub_detail": DETAIL,
    "programs:program_edit": WRITE,
    "programs:participant_add": WRITE,
    "programs:participation_edit": WRITE,
    "programs:participant_import": WRITE,
    "programs:recipient_import": WRITE,
    "programs:aid_create": WRITE,
    "programs:prospect_promote": WRITE,
    "api:program-list": API_LIST,
    "api:program-detail": API_DETAIL,
    "api:aiddelivery-list": API_LIST,
    "api:aiddelivery-detail": API_DETAIL,
}

# How to fill each URL kwarg, given the enterprise the request is about.
KWARG_VALUES: dict[str, Callable[[Enterprise], object]] = {
    "pk": lambda target: target.pk,          # an enterprise, or a token for TOKEN_REVOKE
    "year": lambda target: REPORT_YEAR,
    "kode": lambda target: target.kecamatan_id,
    "fmt": lambda target: "xlsx",            # a list's export (ekspor.<fmt>); csv is the same data
}
# Where a kwarg of one URL means something else than in KWARG_VALUES.
def candidate_of(target: Enterprise) -> int:
    """The queued duplicate pair of an active walk enterprise (see build_world)."""
    return DuplicateCandidate.objects.get(enterprise_a=target).pk


def merge_of(target: Enterprise) -> int:
    """The merge that folded a record into an active walk enterprise (see build_world)."""
    return MergeRecord.objects.get(survivor=target).pk


# Records of the domain apps in each region, by (kind, the region's enterprise pk): filled by
# build_world, read by ROUTE_KWARG_VALUES for URLs about a sentra, a certificate, a loan.
RECORDS: dict[tuple[str, int], int] = {}


def record(kind: str) -> Callable[[Enterprise], int]:
    return lambda target: RECORDS[(kind, target.pk)]


SENTRA_PART_ROUTES = {"sentra:member_leave": "sentra_member", "sentra:officer_delete":
                      "sentra_officer", "sentra:facility_delete": "sentra_facility",
                      "sentra:support_delete": "sentra_support"}


def _program_of(target: Enterprise) -> Program:
    """The program of the target's kab/kota in which the target takes part (see _programs)."""
    return Program.objects.get(participations__enterprise=target)


PROGRAM_KWARGS = {"pk": lambda target: _program_of(target).pk,
                  "participation": lambda target: Participation.objects.get(enterprise=target).pk}
# Where a kwarg of one URL means something else than in KWARG_VALUES.
ROUTE_KWARG_VALUES: dict[str, dict[str, Callable[[Enterprise | None], object]]] = {
    "linkage:candidate_detail": {"pk": candidate_of},
    "linkage:candidate_merge": {"pk": candidate_of},
    "linkage:candidate_dismiss": {"pk": candidate_of},
    "linkage:merge_undo": {"pk": merge_of},
    "api:duplicate-detail": {"pk": candidate_of},
    "api:kbli-detail": {"kode": lambda target: "10750"},
    "api:not-found": {"unmatched": lambda target: "tidak/ada"},
    **{name: {"pk": record("sentra")} for name in KINDS
       if name.startswith(("sentra:", "api:sentra"))},
    "sentra:sentra_status": {"pk": record("sentra_formed")},
    "sentra:member_add": {"pk": record("sentra_formed")},
    **{name: {"pk": record("sentra"), "item": record(kind)}
       for name, kind in SENTRA_PART_ROUTES.items()},
    **{name: {"pk": record(kind)} for name, kind in [
        ("certifications:certificate_edit", "certificate"),
        ("certifications:certificate_delete", "certificate"),
        ("api:certificate-detail", "certificate"), ("financing:loan_edit", "loan"),
        ("financing:loan_delete", "loan"), ("api:loan-detail", "loan"),
        ("financing:report_edit", "lender_report"), ("financing:report_delete", "lender_report"),
        ("api:lender-report-detail", "lender_report")]},
    **{name: PROGRAM_KWARGS for name in (
        "programs:program_detail", "programs:program_edit", "programs:participant_add",
        "programs:participation_edit", "programs:participant_import", "programs:aid_create",
        "programs:aid_eligibility", "programs:recipient_import", "api:program-detail")},
    "programs:aid_document": {"pk": lambda target: AidDelivery.objects.get(enterprise=target).pk},
    "api:aiddelivery-detail": {"pk": lambda target: AidDelivery.objects.get(enterprise=target).pk},
    "programs:prospect_detail": {"pk": lambda target: _prospect_of(target).pk},
    "programs:prospect_promote": {"pk": lambda target: _prospect_of(target).pk},
    "programs:kub_detail": {"pk": lambda target: KubGroup.objects.get(
        members__enterprise=target).pk},
    "imports:import_list_export": {"fmt": lambda target: "xlsx"},
    **{f"imports:import_{name}": {"pk": lambda target: _import_run_of(target)}
       for name in ("detail", "progress", "errors", "undo")},
    "api:import-detail": {"pk": lambda target: _import_run_of(target)},
}


def _prospect_of(target: Enterprise) -> Prospect:
    return Prospect.objects.get(kecamatan_id=target.kecamatan_id, name__endswith="Walk")


def _import_run_of(target: Enterprise) -> int:
    """The import of the target's kecamatan (build_world makes one per region)."""
    return ImportRun.objects.get(kode_wilayah=target.kecamatan_id, file_name="walk.csv").pk


# Query strings tried on top of the bare URL; the filters try to reach into other wilayah.
PROBES = ["?wilayah=16.07&kecamatan=16.07.01", "?wilayah=16.71&kecamatan=16.71.01",
          "?wilayah=63.71&kecamatan=63.71.01", "?tahun=2023"]
QUERIES = {
    "linkage:candidate_list": ["", "?wilayah=16.07", "?wilayah=16.71", "?wilayah=63.71",
                               "?status=merged", "?min_score=0.5"],
    "enterprises:enterprise_list": ["", *PROBES],
    "enterprises:enterprise_export": ["", *PROBES],
    "enterprises:enterprise_export_xlsx": ["", *PROBES],
    "enterprises:enterprise_detail": ["", "?tab=data", "?tab=riwayat"],
    "enterprises:enterprise_detail": ["", "?tab=data", "?tab=riwayat", "?tab=linimasa"],
    "programs:program_list": ["", "?wilayah=16.07", "?wilayah=16.71", "?wilayah=63.71"],
    "wilayah:children_options": ["?parent=16.07", "?parent=16.71.01", "?parent=63.71"],
    "api:enterprise-list": ["", "?wilayah=16.07", "?wilayah=16.71", "?wilayah=63.71",
                            "?kecamatan=16.07.01", "?kecamatan=16.71.01", "?kecamatan=63.71.01",
                            "?wilayah=16.71&kecamatan=16.71.01", "?tahun=2023", "?q=Walk"],
    "api:duplicate-list": ["", "?wilayah=16.07", "?wilayah=16.71", "?wilayah=63.71",
                           "?status=not_duplicate", "?min_score=0.9"],
    "api:wilayah-list": ["", "?parent=16.07", "?parent=16.71.01", "?parent=63.71", "?level=3"],
    "api:indicators-list": [f"?wilayah={kode}&tahun={REPORT_YEAR}"
                            for kode in ("16.07", "16.07.01", "16.71", "16", "63.71", "nasional")],
    "sentra:sentra_list": ["", "?wilayah=16.07", "?wilayah=16.71", "?wilayah=63.71",
                           "?flagged=ya", "?status=ditetapkan"],
    "api:sentra-list": ["", "?wilayah=16.07", "?wilayah=16.71", "?wilayah=63.71", "?flagged=ya"],
}
# Bare pages that must list the in-scope enterprises (so the absence of others means something).
LISTS_ACTIVE = {"enterprises:enterprise_list", "enterprises:enterprise_export",
                "api:enterprise-list", "linkage:candidate_list", "api:duplicate-list"}
LISTS_DELETED = {"enterprises:deleted_list"}


def kind_of(route: Route) -> str:
    if not route.name:
        pytest.fail(f"URL pattern {route.route!r} has no name: name it (app:model_action) so the "
                    "scope walker in naikkelas/core/tests/test_scope_walk.py can check it.")
    if route.name not in KINDS:
        pytest.fail(f"URL {route.name} ({route.route}) is new to the scope walker: add it to "
                    "KINDS in naikkelas/core/tests/test_scope_walk.py (PAGE, DETAIL, WRITE, ...) "
                    "so every persona is checked against it.")
    return KINDS[route.name]


def build_url(route: Route, target: Enterprise | None, query: str = "") -> str:
    if route.positional:
        pytest.fail(f"URL {route.name} ({route.route}) has unnamed groups: use named kwargs so the "
                    "scope walker can fill them.")
    values = {**KWARG_VALUES, **ROUTE_KWARG_VALUES.get(route.name, {})}
    unknown = [k for k in route.kwargs if k not in values]
    if unknown:
        pytest.fail(f"URL {route.name} ({route.route}) takes kwarg(s) {', '.join(unknown)} that "
                    "the scope walker does not know: teach it in KWARG_VALUES in "
                    "naikkelas/core/tests/test_scope_walk.py (a value pointing into Banyuasin).")
    kwargs = {k: values[k](target) for k in route.kwargs}
    return reverse(route.name, kwargs=kwargs) + query


# --- the data --------------------------------------------------------------------------------

@dataclass
class World:
    personas: Personas
    active: dict[str, Enterprise]          # region name -> enterprise with 2023 and 2024 figures
    deleted: dict[str, Enterprise] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)  # persona -> their API token
    keys: dict[str, str] = field(default_factory=dict)         # persona -> that token's key
    # kode wilayah -> identifying values of the programs, prospects and KUB groups there
    program_secrets: dict[str, list[str]] = field(default_factory=dict)

    def enterprises(self) -> list[Enterprise]:
        return [*self.active.values(), *self.deleted.values()]


def _enterprise(region: str, kecamatan: str, nik: str, n: int, *, deleted: bool) -> Enterprise:
    label = "Terhapus" if deleted else "Aktif"
    enterprise = make_enterprise(
        kecamatan, name=f"Usaha {label} {region} Walk{n}", owner_name=f"Pemilik {region} Walk{n}",
        nib=f"99{n:011d}", owner_nik=nik, owner_phone=f"0812777{n:05d}",
        deleted_at=timezone.now() if deleted else None)
    make_report(enterprise, REPORT_YEAR - 1, workers_male=3)
    make_report(enterprise, REPORT_YEAR, workers_male=7)
    return enterprise


REGIONS = {  # region -> (kecamatan, a valid NIK registered there)
    "Banyuasin": ("16.07.01", "160701450890{:04d}"),
    "Palembang": ("16.71.01", "167101120385{:04d}"),
    "Banjarmasin": ("63.71.01", "637101010170{:04d}"),
}


def _import_run(kecamatan: str) -> ImportRun:
    run = ImportRun.objects.create(file_name="walk.csv", kode_wilayah=kecamatan,
                                   tahun=REPORT_YEAR, started_at=timezone.now(),
                                   token=uuid.uuid4())
    run.upload_path.write_text("Nama Usaha;Kecamatan\nUsaha Walk;Nowhere\n")
    return run


def add_duplicates(target: Enterprise, kecamatan: str) -> None:
    """A queued duplicate of the enterprise, and another record already merged into it."""
    queued = make_enterprise(kecamatan, name=f"{target.name} (daftar bantuan)",
                             owner_name=target.owner_name)
    DuplicateCandidate.objects.create(enterprise_a=target, enterprise_b=queued, score=0.95,
                                      agreed=["owner_name"])
    merged = make_enterprise(kecamatan, name=f"{target.name} (daftar KUR)",
                             owner_name=target.owner_name)
    merge_enterprises(target, merged, actor=None)


def build_world() -> World:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = World(personas=make_personas(), active={})
    for i, (region, (kecamatan, nik)) in enumerate(REGIONS.items()):
        world.active[region] = _enterprise(region, kecamatan, nik.format(42 + i), 10 + i,
                                           deleted=False)
        world.deleted[region] = _enterprise(region, kecamatan, nik.format(52 + i), 20 + i,
                                            deleted=True)
    for kecamatan, _nik in REGIONS.values():
        _import_run(kecamatan)
    for region, (kecamatan, _nik) in REGIONS.items():
        add_duplicates(world.active[region], kecamatan)
    RECORDS.update(sentra_walk.build(world.active))
    RECORDS.update(certificate_walk.build(world.active))
    RECORDS.update(financing_walk.build(world.active))
    for persona, user in world.personas.all().items():
        world.tokens[persona], world.keys[persona] = create_api_token(actor=user,
                                                                      name=f"walk {persona}")
    for region, enterprise in world.active.items():
        world.program_secrets[enterprise.kecamatan_id] = _programs(region, enterprise)
    return world


def _programs(region: str, enterprise: Enterprise) -> list[str]:
    """A program of the enterprise's kab/kota with it, a prospect and a KUB group taking part,
    and an aid delivery to it with its BAST document; returns what must not leak elsewhere."""
    kabkota = enterprise.kecamatan_id.rsplit(".", 1)[0]
    program = Program.objects.create(
        name=f"Program {region} Walk", program_type="peralatan", organiser_level="kabkota",
        kode_wilayah=kabkota, budget_source="apbd", pagu=10_000_000,
        start_date=datetime.date(2024, 3, 1), end_date=datetime.date(2024, 3, 2))
    prospect = Prospect.objects.create(
        nik=REGIONS[region][1].format(62), name=f"Calon {region} Walk",
        kecamatan_id=enterprise.kecamatan_id, phone="081388880000")
    group = KubGroup.objects.create(name=f"KUB {region} Walk", kecamatan_id=enterprise.kecamatan_id)
    KubMember.objects.create(group=group, enterprise=enterprise)
    for participant in ({"enterprise": enterprise}, {"prospect": prospect}, {"kub_group": group}):
        Participation.objects.create(program=program, **participant)
    delivery = AidDelivery.objects.create(
        program=program, enterprise=enterprise, sk_number=f"SK {region} Walk",
        sk_date=datetime.date(2024, 3, 1), bast_number=f"BAST {region} Walk",
        bast_date=datetime.date(2024, 3, 2))
    delivery.document.save("bast.pdf", ContentFile(b"%PDF-1.4 walk"))
    AidItem.objects.create(delivery=delivery, name="Mesin jahit", quantity=1, unit_value=1)
    return [program.name, prospect.name, prospect.nik, group.name, delivery.bast_number]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at the end."""
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), \
            built_once(django_db_blocker, build_world) as built:
        yield built


@pytest.fixture
def clients(world) -> dict[str, Client]:
    logged_in = {}
    for name, user in world.personas.all().items():
        logged_in[name] = Client()
        logged_in[name].force_login(user)
    return logged_in


@pytest.fixture
def api_clients(world) -> dict[str, Client]:
    """Each persona's token, as another system sends it; no session."""
    return {name: Client(headers={"Authorization": f"Bearer {world.keys[name]}"})
            for name in world.personas.all()}


@pytest.fixture(autouse=True)
def _full_request_budget() -> None:
    cache.clear()  # API rate limits count in the cache


def client_for(route: Route, persona: str, clients, api_clients) -> Client:
    return api_clients[persona] if kind_of(route) in API_KINDS else clients[persona]


# --- helpers ---------------------------------------------------------------------------------

def secrets(enterprise: Enterprise) -> list[str]:
    return [enterprise.name, enterprise.nib, enterprise.owner_name, enterprise.owner_nik,
            enterprise.owner_phone]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return BINARY_TEXT.get(response.get("Content-Type", ""), bytes.decode)(response.content)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist())


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# Downloads whose text the leak checks read: the cells of a workbook, the text of a PDF.
BINARY_TEXT = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx_text,
               "application/pdf": _pdf_text}


def leaks(text: str, user: User, world: World) -> list[str]:
    """Identifying values of enterprises outside the user's wilayah that appear in the text."""
    found = [value for e in world.enterprises() if not user.covers(e.kecamatan_id)
             for value in secrets(e) if value in text]
    found += [value for kode, values in world.program_secrets.items()
              if not user.covers(kode) for value in values if value in text]
    if not user.can_view_personal_data:  # a single loan, even of the user's own wilayah
        found += [financing_walk.mark(e) for e in world.active.values()
                  if financing_walk.mark(e) in text]
    return found


OPTION_KODE = re.compile(r'<option value="(\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)"')
# In API payloads, the keys that name where a record is (not `parent`: a region's parent may lie
# above the user's wilayah).
JSON_KODE = re.compile(r'"(?:kode|kecamatan|desa|wilayah)":\s*"(\d{2}(?:\.\d{2}(?:\.\d{2}'
                       r'(?:\.\d{4})?)?)?)"')
REGIONAL_API = {"api:enterprise-list", "api:enterprise-detail", "api:enterprise-report",
                "api:duplicate-list", "api:duplicate-detail",
                "api:wilayah-list", "api:wilayah-detail", "api:indicators-list",
                "api:sentra-list", "api:sentra-detail", "api:certificate-list",
                "api:certificate-detail", "api:loan-list", "api:loan-detail",
                "api:program-list", "api:program-detail"}


def foreign_regions(text: str, user: User, route: Route | None = None) -> list[str]:
    """Region pickers (filters, forms, the htmx picker) offer only regions inside the wilayah;
    API payloads name only regions inside it."""
    found = set(OPTION_KODE.findall(text))
    if route is not None and route.name in REGIONAL_API:
        found |= set(JSON_KODE.findall(text))
    return sorted(kode for kode in found if not user.covers(kode))


def redirects_to_login(response) -> bool:
    return (response.status_code == 302
            and urlparse(response["Location"]).path == resolve_url(settings.LOGIN_URL))


def targets(route: Route, world: World, user: User | None = None) -> list:
    """The enterprises a request is made about: every region's, or none for a URL without kwargs
    or about nothing regional; every persona's token for a token URL.

    Admin pusat covers every region, so one is enough for it (its forms list every kecamatan of
    the country and are slow to render).
    """
    kind = kind_of(route)
    if not route.kwargs or kind in (API_SHARED, API_UNKNOWN):
        return [None]
    if kind == TOKEN_REVOKE:
        return list(world.tokens.values())
    chosen = list((world.deleted if kind == RESTORE else world.active).values())
    return chosen[:1] if user is not None and user.is_admin_pusat else chosen


def in_scope(user: User, target, query: str = "") -> bool:
    """Whether the request is about something of the user's: their wilayah, or their token."""
    if isinstance(target, ApiToken):
        return target.user_id == user.pk
    if target is not None:
        return user.covers(target.kecamatan_id)
    wilayah = re.search(r"wilayah=([^&]*)", query)
    if wilayah:
        return user.covers("" if wilayah[1] == "nasional" else wilayah[1])
    return True


def db_state() -> tuple:
    return (list(Enterprise.objects.order_by("pk").values()),
            list(AnnualReport.objects.order_by("pk").values()),
            sorted(SizeClassification.objects.values_list("report_id", "rule", "kelas",
                                                          "naik_kelas")),
            list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
            AuditLog.objects.count(),
            list(ImportRun.objects.order_by("pk").values_list("pk", "status")))


@contextmanager
def rolled_back() -> Iterator[None]:
    """Let a request change the database, look at the result, then undo it for the next request."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def route_id(route: Route) -> str:
    return route.name or route.route


# --- the walk --------------------------------------------------------------------------------

KNOWN_NAMES = set(KINDS)


def test_walker_finds_every_known_url():
    found = {r.name for r in ROUTES}
    assert KNOWN_NAMES <= found, f"the walker missed {sorted(KNOWN_NAMES - found)}"
    assert any(r.kwargs == ("pk", "year") for r in ROUTES), "nested kwargs were not collected"


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_url_is_known_to_the_walker(route, world):
    kind_of(route)
    for target in targets(route, world):
        assert build_url(route, target).startswith("/")


def test_unknown_kwarg_fails_the_walk():
    route = Route("enterprises:enterprise_detail", "usaha/<int:sentra_id>/", ("sentra_id",), False)
    with pytest.raises(pytest.fail.Exception, match="teach it in KWARG_VALUES"):
        build_url(route, None)


def test_unclassified_url_fails_the_walk():
    with pytest.raises(pytest.fail.Exception, match="add it to KINDS"):
        kind_of(Route("contoh:belum_dikenal", "contoh/", (), False))


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_anonymous_is_sent_to_login(route, world, client):
    """Pages send anonymous visitors to the login page; the API answers 401 in JSON."""
    kind = kind_of(route)
    before = db_state()
    for target in targets(route, world):
        url = build_url(route, target)
        if kind in (PUBLIC, DOCS):
            assert client.get(url).status_code == 200
            continue
        if kind in API_KINDS:
            for method, payload in [("get", None), *API_WRITES.get(route.name, [])]:
                response = api_request(client, method, url, payload, target)
                expected = 404 if kind == API_UNKNOWN else 401
                assert response.status_code == expected, (method, url, response.status_code)
                assert response["Content-Type"] == "application/json", (method, url)
            continue
        if kind not in (LOGOUT, RESTORE, TOKEN_REVOKE):
            response = client.get(url)
            assert redirects_to_login(response), (url, response.status_code)
        if kind in (LOGOUT, CREATE, WRITE, RESTORE, TOKENS, TOKEN_REVOKE, PERSONAL):
            response = client.post(url, post_data(route, target))
            assert redirects_to_login(response), ("POST", url, response.status_code)
    assert db_state() == before


def expected_get(kind: str, user: User, in_scope: bool, query: str = "") -> set[int]:
    if kind in (DETAIL, WRITE) and not in_scope:
        return NOT_FOUND
    if kind in (API_DETAIL, API_QUERY) and not in_scope:
        return {404}
    if kind == IMPORT_STEP:  # nothing was uploaded in this session; confirm is POST only
        return {404, 405} | (set() if user.can_edit else {403})
    if kind in (PERSONAL, API_PERSONAL) and not (in_scope and user.can_view_personal_data):
        return {404}
    if kind in (CREATE, WRITE, UPLOAD) and not user.can_edit:
        return {403}
    if kind == API_LIST and query:
        return {200, 400}  # a filter naming a region elsewhere is refused like any bad value
    return {PUBLIC: {302}, LOGOUT: {405}, RESTORE: {405}, TOKEN_REVOKE: {405}, API_START: {405},
            API_UNKNOWN: {404}}.get(kind, {200})


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_get_as_every_persona(route, world, clients, api_clients):
    """Status by role and scope; no page shows a name, NIB, owner, NIK or phone from elsewhere."""
    kind = kind_of(route)
    problems = []
    for persona in clients:
        client = client_for(route, persona, clients, api_clients)
        user = getattr(world.personas, persona)
        for target in targets(route, world, user):
            for query in QUERIES.get(route.name, [""]):
                url = build_url(route, target, query)
                response = client.get(url)
                text = body(response)
                expected = expected_get(kind, user, in_scope(user, target, query), query)
                if response.status_code not in expected:
                    problems.append(f"{persona} GET {url}: {response.status_code}")
                if found := leaks(text, user, world):
                    problems.append(f"{persona} GET {url} shows out-of-scope {found}")
                if found := foreign_regions(text, user, route):
                    problems.append(f"{persona} GET {url} offers regions {found[:5]}")
                if not query:
                    problems += missing_rows(route, user, world, text, f"{persona} GET {url}")
    assert not problems, "\n".join(problems)


def missing_rows(route: Route, user: User, world: World, text: str, where: str) -> list[str]:
    """List pages must show the in-scope records, else the absence of the others proves nothing."""
    shown = (world.active if route.name in LISTS_ACTIVE
             else world.deleted if route.name in LISTS_DELETED else {})
    return [f"{where} lacks in-scope {e.name}" for e in shown.values()
            if user.covers(e.kecamatan_id) and e.name not in text]


# --- POSTs -----------------------------------------------------------------------------------

def post_data(route: Route, target: Enterprise | None) -> dict:
    """A payload the view accepts from an allowed user (the walk checks that it does)."""
    # Workers only: amounts are parsed by RupiahField, whose own tests live in test_views.py.
    figures = {"workers_male": 30, "workers_female": 2}
    if route.name == "enterprises:enterprise_create":
        kecamatan = target.kecamatan_id if target else "16.07.01"
        return {"name": "Usaha Baru Walk", "legal_form": "perorangan", "owner_name": "Pemilik Baru",
                "kecamatan": kecamatan, "status": "aktif"}
    if route.name == "enterprises:enterprise_edit":
        return {"name": f"{target.name} diubah", "legal_form": target.legal_form,
                "nib": target.nib, "owner_name": target.owner_name, "owner_nik": target.owner_nik,
                "owner_phone": target.owner_phone, "kecamatan": target.kecamatan_id,
                "products": target.products, "status": target.status}
    if route.name == "enterprises:report_create":
        return {"year": REPORT_YEAR + 1, **figures}
    if route.name == "enterprises:report_edit":
        return {"year": REPORT_YEAR, **figures}
    if route.name == "accounts:token_list":
        return {"name": "token jalan URL"}
    for app_walk in (sentra_walk, certificate_walk, financing_walk):
        if (payload := app_walk.post_data(route.name, target)) is not None:
            return payload
    if route.name.startswith("programs:"):
        return program_post_data(route, target)
    return {"reason": "uji jalan URL"}


def program_post_data(route: Route, target: Enterprise | None) -> dict:
    """Payloads of the programs forms, about the target's kab/kota (Banyuasin without one)."""
    kecamatan = target.kecamatan_id if target else "16.07.01"
    kabkota = kecamatan.rsplit(".", 1)[0]
    nik = kecamatan.replace(".", "") + "1203950099"
    program = {"name": "Program Baru Walk", "program_type": "bimtek",
               "organiser_level": "kabkota", "kode_wilayah": kabkota, "budget_source": "apbd",
               "pagu": "10.000.000", "start_date": "2024-03-01", "end_date": "2024-03-02",
               "target_participants": "10", "target_recipients": "0"}
    csv = f"NAMA;NIK;KECAMATAN\nPeserta Walk;{nik};{kecamatan}\n".encode()
    aid = (f"NAMA USAHA;KECAMATAN;NAMA BARANG;JUMLAH;HARGA SATUAN;NO SK;TANGGAL SK;NO BAST;"
           f"TANGGAL BAST;ALASAN\n{getattr(target, 'name', '')};{kecamatan};Oven;1;1.000.000;"
           f"SK Walk 3;01-06-2024;BAST Walk 3;02-06-2024;uji jalan URL\n").encode()
    return {
        "programs:program_create": program,
        "programs:program_edit": {**program, "name": "Program diubah Walk"},
        "programs:participant_add": {"kind": "new_prospect", "nik": nik, "name": "Calon Baru",
                                     "kecamatan": kecamatan},
        "programs:participation_edit": {"status": "lulus", "days_present": "2"},
        "programs:participant_import": {"file": SimpleUploadedFile("peserta.csv", csv)},
        "programs:recipient_import": {"file": SimpleUploadedFile("penerima.csv", aid)},
        "programs:aid_create": {
            "recipient_kind": "enterprise", "enterprise": getattr(target, "pk", ""),
            "sk_number": "SK Walk 2",
            "sk_date": "2024-06-01", "bast_number": "BAST Walk 2", "bast_date": "2024-06-02",
            "override_reason": "uji jalan URL", "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0", "items-0-name": "Oven", "items-0-quantity": "1",
            "items-0-unit_value": "1.000.000"},
        "programs:prospect_create": {"nik": nik, "name": "Calon Baru", "kecamatan": kecamatan},
        "programs:prospect_promote": {"name": "Usaha Calon Walk", "legal_form": "perorangan"},
        "programs:kub_create": {"name": "KUB Baru Walk", "kecamatan": kecamatan},
    }[route.name]


def may_post(kind: str, user: User) -> bool:
    if kind in (TOKENS, TOKEN_REVOKE):
        return True  # tokens are personal: every role manages its own
    return user.is_admin_pusat if kind == RESTORE else user.can_edit


def post_targets(route: Route, world: World, user: User) -> list[Enterprise | None]:
    # A create is "about" the kecamatan it puts the new enterprise in.
    if kind_of(route) == CREATE:
        return list(world.active.values())
    return targets(route, world, user)


WRITING_ROUTES = [r for r in ROUTES
                  if KINDS.get(r.name) in (CREATE, WRITE, RESTORE, TOKENS, TOKEN_REVOKE, PERSONAL)]


@pytest.mark.parametrize("route", WRITING_ROUTES, ids=route_id)
def test_post_as_every_persona(route, world, clients):
    """Out of scope or without the right, a POST changes nothing; allowed, the same POST works."""
    kind = kind_of(route)
    success = 200 if kind == TOKENS else 302  # the token page shows the new key at once
    problems = []
    for persona, client in clients.items():
        user = getattr(world.personas, persona)
        for target in post_targets(route, world, user):
            url = build_url(route, target) if route.kwargs else build_url(route, None)
            mine = in_scope(user, target)
            before = db_state()
            with rolled_back():
                response = client.post(url, post_data(route, target))
                changed = db_state() != before
            status = response.status_code
            if mine and may_post(kind, user):
                if status != success or not changed:
                    problems.append(f"{persona} POST {url}: {status}, changed={changed} "
                                    "(the allowed POST must work, or this check proves nothing)")
            elif changed:
                problems.append(f"{persona} POST {url} changed the database ({status})")
            elif not mine and kind != CREATE and status not in NOT_FOUND:
                problems.append(f"{persona} POST {url}: {status}, expected 404")
            elif mine and status != (404 if kind == PERSONAL else 403):
                problems.append(f"{persona} POST {url}: {status}, expected 403")
    assert not problems, "\n".join(problems)


# --- API writes ------------------------------------------------------------------------------

def new_enterprise(target: Enterprise | None) -> dict:
    return {"name": "Usaha Baru API Walk", "owner_name": "Pemilik Baru",
            "kecamatan": target.kecamatan_id if target else "16.07.01"}


# The writes each API URL takes, with a payload an allowed user's request succeeds with; a
# callable payload is built from the enterprise the request is about.
API_WRITES: dict[str, list[tuple[str, dict | Callable | None]]] = {
    "api:enterprise-list": [("post", new_enterprise)],
    "api:enterprise-detail": [("patch", {"products": "diubah lewat API"}), ("delete", None)],
    "api:enterprise-report": [("put", {"workers_male": 30}), ("patch", {"workers_male": 31}),
                              ("delete", None)],
    "api:certificate-list": [("post", lambda target: {
        "enterprise": getattr(target, "pk", 0), "type": "sni", "number": "SNI-API-WALK",
        "issued_on": "2024-01-02"})],
}


def api_request(client: Client, method: str, url: str, payload, target):
    if callable(payload):
        payload = payload(target)
    data = json.dumps(payload) if payload is not None else ""
    return client.generic(method.upper(), url, data, content_type="application/json")


def api_write_targets(route: Route, world: World, user: User) -> list[Enterprise]:
    # A create is "about" the kecamatan it puts the new enterprise in (or the enterprise whose
    # certificate it records).
    if route.name in ("api:enterprise-list", "api:certificate-list"):
        return list(world.active.values())
    return targets(route, world, user)


API_WRITING_ROUTES = [r for r in ROUTES if r.name in API_WRITES]


def refused_elsewhere(method: str, user: User) -> set[int]:
    """A record elsewhere is 404; a create in a kecamatan elsewhere is an invalid kecamatan
    (400), or 403 first for a role that may not create at all, as on the web form."""
    if method != "post":
        return {404}
    return {400} if user.can_edit else {403}


def test_every_api_write_is_walked():
    writable = {r.name for r in ROUTES if KINDS.get(r.name) in (API_LIST, API_DETAIL)
                and (r.name.startswith("api:enterprise") or r.name == "api:certificate-list")}
    assert writable == set(API_WRITES), "teach API_WRITES the writes of the new API URLs"


@pytest.mark.parametrize("route", API_WRITING_ROUTES, ids=route_id)
def test_api_write_as_every_persona(route, world, api_clients):
    """With a token: out of scope 404 (see refused_elsewhere), pimpinan 403, nothing changed; an
    editor in scope succeeds, and the audit row names the token."""
    problems = []
    for persona, client in api_clients.items():
        user = getattr(world.personas, persona)
        for target in api_write_targets(route, world, user):
            url = build_url(route, target) if route.kwargs else build_url(route, None)
            mine = in_scope(user, target)
            for method, payload in API_WRITES[route.name]:
                before = db_state()
                with rolled_back():
                    response = api_request(client, method, url, payload, target)
                    changed = db_state() != before
                    via = AuditLog.objects.order_by("-pk").values_list("via", flat=True).first()
                status, where = response.status_code, f"{persona} {method.upper()} {url}"
                if mine and user.can_edit:
                    if status not in (200, 201, 204) or not changed:
                        problems.append(f"{where}: {status}, changed={changed}")
                    elif via != f"token API: walk {persona}":
                        problems.append(f"{where}: audit row says via={via!r}")
                elif changed:
                    problems.append(f"{where} changed the database ({status})")
                elif not mine and status not in refused_elsewhere(method, user):
                    problems.append(f"{where}: {status}, expected one of "
                                    f"{refused_elsewhere(method, user)}")
                elif mine and status != 403:
                    problems.append(f"{where}: {status}, expected 403")
    assert not problems, "\n".join(problems)
