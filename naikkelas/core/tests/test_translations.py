"""The Indonesian catalogue: complete, compiled, consistent with its msgids, and used by the pages.

The interface is marked with English msgids; naikkelas/locale/id/LC_MESSAGES/django.po is the one
language users see. The compiled django.mo is committed (a fresh machine may lack GNU gettext), so
these tests also fail when someone edits the .po and forgets `naikkelas compilemessages -l id`.
"""

import gettext
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE_DIR = PACKAGE / "locale" / "id" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    """One message of a .po file."""

    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index -> text; 0 when singular

    @property
    def label(self) -> str:
        return f"django.po line {self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted string: {text}"
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, key = None, None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            key = (match.group(1), int(match.group(2) or 0))
            value = _unquote(match.group(3))
        else:
            assert key is not None, f"django.po line {number}: continuation without a keyword"
            value = _unquote(line)
        name, index = key
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
        else:
            setattr(current, name, (getattr(current, name) or "") + value)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = parse_po(PO_FILE)
    assert entries and entries[0].msgid == "", "django.po must start with its header"
    return entries


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    """The entries without the header."""
    return po_entries[1:]


def _header(po_entries) -> dict[str, str]:
    lines = po_entries[0].msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


# (a) complete and not fuzzy


def test_header_declares_indonesian_utf8_one_plural_form(po_entries):
    header = _header(po_entries)
    assert header["Language"] == "id"
    assert header["Project-Id-Version"] == "naikkelas"
    assert "charset=UTF-8" in header["Content-Type"]
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_catalogue_has_messages(messages):
    assert len(messages) > 250


def test_no_entry_is_fuzzy(po_entries):
    fuzzy = [e.label for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (review, then drop the flag):\n" + "\n".join(fuzzy)


def test_every_message_is_translated(messages):
    empty = [e.label for e in messages if not e.msgstr or any(not s for s in e.msgstr.values())]
    assert not empty, "untranslated entries:\n" + "\n".join(empty)


def test_plural_entries_have_exactly_one_form(messages):
    """Indonesian has one plural form: msgstr[0] only."""
    wrong = [e.label for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert not wrong, "plural entries must have msgstr[0] only:\n" + "\n".join(wrong)


# (b) the committed .mo matches the .po


@pytest.fixture(scope="module")
def compiled() -> gettext.GNUTranslations:
    with MO_FILE.open("rb") as fp:
        return gettext.GNUTranslations(fp)


def test_mo_is_compiled_from_the_current_po(messages, compiled):
    stale = []
    for e in messages:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            in_mo = key in compiled._catalog  # identity translations ('NIB') need the lookup
            got = (compiled.gettext(e.msgid) if e.msgctxt is None
                   else compiled.pgettext(e.msgctxt, e.msgid))
            if not in_mo or got != e.msgstr[0]:
                stale.append(e.label)
        else:
            for n in (1, 2, 5):
                got = (compiled.ngettext(e.msgid, e.msgid_plural, n) if e.msgctxt is None
                       else compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n))
                if got != e.msgstr[0]:
                    stale.append(f"{e.label} (n={n})")
    assert not stale, ("django.mo is out of date; run `naikkelas compilemessages -l id` in "
                       "naikkelas/ and commit django.mo:\n" + "\n".join(stale))


def test_mo_declares_one_plural_form(compiled):
    assert compiled.plural(1) == compiled.plural(2) == 0


# (c) pages render in Indonesian


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_login_page_is_indonesian(client):
    html = _text(client.get(reverse("accounts:login")))
    assert '<html lang="id">' in html
    for word in ("Masuk ke naikkelas", "Nama pengguna", "Kata sandi", ">Masuk</button>"):
        assert word in html
    for english in ("Log in", "Username", ">Password<", "registry"):
        assert english not in html


def test_dashboard_is_indonesian(client, personas):
    client.force_login(personas.kab)
    html = _text(client.get(reverse("dashboard:home")))
    for word in ("Beranda", "Usaha", "Keluar", "Menu utama", "Daftarkan usaha",
                 "Belum ada data tahunan"):
        assert word in html
    for english in ("Log out", ">Home<", "Enterprises", "Register an enterprise", "yearly figures"):
        assert english not in html


def test_enterprise_list_is_indonesian(client, personas):
    client.force_login(personas.prov)
    html = _text(client.get(reverse("enterprises:enterprise_list")))
    for word in ("Usaha IKM", "Unduh CSV", "Terhapus", "Semua di wilayah saya", "Semua kecamatan",
                 "Tahun data terakhir", "Nama usaha", "Pemilik", "Tenaga kerja", "Keluar",
                 "Tidak ada usaha yang sesuai"):
        assert word in html
    for english in ("Log out", "Download CSV", "Business name", "Owner", "Workers",
                    "All in my wilayah", "No enterprise matches"):
        assert english not in html


# (d) placeholders survive translation

PLACEHOLDER = re.compile(
    r"%%"                                        # a literal percent sign
    r"|%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]"  # printf style
    r"|\{[^{}]*\}"                               # str.format style
)


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_placeholders_match(messages):
    wrong = []
    for e in messages:
        expected = placeholders(e.msgid)
        if e.msgid_plural is not None and placeholders(e.msgid_plural) != expected:
            wrong.append(f"{e.label}: msgid_plural differs from msgid")
        for index, text in e.msgstr.items():
            if placeholders(text) != expected:
                wrong.append(f"{e.label}: msgstr[{index}] has {sorted(placeholders(text))}, "
                             f"msgid has {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_placeholder_pattern():
    assert placeholders("%(count)d of %(total)s, 100%% {name}") == Counter(
        {"%(count)d": 1, "%(total)s": 1, "%%": 1, "{name}": 1})


def test_leading_and_trailing_spaces_kept(messages):
    wrong = [e.label for e in messages for text in e.msgstr.values()
             if (e.msgid[:1].isspace(), e.msgid[-1:].isspace())
             != (text[:1].isspace(), text[-1:].isspace())]
    assert not wrong, "\n".join(wrong)


# The catalogue covers every marked string (needs GNU gettext, as makemessages does).


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_matches_the_marked_strings(tmp_path, monkeypatch, settings, messages):
    """Run makemessages on a copy of the package and compare its msgids with django.po."""
    copy = tmp_path / "naikkelas"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "__pycache__", "locale", "tests", "browser_tests"))
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]  # never write into the real catalogue
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["id"], no_location=True, no_obsolete=True,
                 ignore_patterns=["browser_tests/*", "*/tests/*"], verbosity=0)
    fresh = {(e.msgctxt, e.msgid) for e in parse_po(copy / "locale/id/LC_MESSAGES/django.po")[1:]}
    current = {(e.msgctxt, e.msgid) for e in messages}
    missing = sorted(msgid for _ctx, msgid in fresh - current)
    obsolete = sorted(msgid for _ctx, msgid in current - fresh)
    assert not missing and not obsolete, (
        "django.po is not up to date with the code; in naikkelas/ run\n"
        '  naikkelas makemessages -l id --no-location --no-obsolete -i "browser_tests/*" '
        '-i "*/tests/*"\nthen translate, and run naikkelas compilemessages -l id.\n'
        f"missing from django.po: {missing}\nobsolete in django.po: {obsolete}")
