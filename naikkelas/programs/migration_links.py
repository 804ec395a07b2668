"""Linking free-text "facilitated by" names to recorded programs, for data migrations.

Works on the historical models a migration passes in, so later changes to the live models do not
change what an old migration does. Used by certifications 0002 and sentra 0002.
"""

from collections import defaultdict

from django.db.models import OuterRef, Subquery

from naikkelas.core.scope import kode_within

CHUNK = 1000


def link_text_to_programs(model, program_model, place: str) -> int:
    """Give rows whose `facilitated_by` text is exactly a program's name (surrounding spaces
    ignored) that program, and clear the text, when the program's organiser wilayah contains the
    row's place (`place`: the lookup to its kecamatan code). The most local such program wins;
    two of them at the same level keep the text, as does a name no program in reach carries.
    Returns how many rows were linked."""
    texts = model.objects.exclude(facilitated_by="").filter(program__isnull=True)
    names = {text.strip() for text in texts.values_list("facilitated_by", flat=True).distinct()}
    programs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for pk, name, kode in program_model.objects.filter(name__in=names).values_list(
            "pk", "name", "kode_wilayah"):
        programs[name].append((kode, pk))
    targets: dict[int, list[int]] = defaultdict(list)
    for pk, text, kode in texts.values_list("pk", "facilitated_by", place).iterator():
        chosen = closest_program(programs.get(text.strip(), []), kode or "")
        if chosen is not None:
            targets[chosen].append(pk)
    for program_id, pks in targets.items():
        for start in range(0, len(pks), CHUNK):
            model.objects.filter(pk__in=pks[start:start + CHUNK]).update(
                program_id=program_id, facilitated_by="")
    return sum(len(pks) for pks in targets.values())


def closest_program(candidates: list[tuple[str, int]], kode: str) -> int | None:
    """The pk of the most local program (kode wilayah, pk) whose wilayah contains `kode`; None
    when none does or two tie."""
    reaching = [(organiser.count(".") + bool(organiser), pk) for organiser, pk in candidates
                if kode_within(kode, organiser)]
    if not reaching:
        return None
    best = max(level for level, _pk in reaching)
    chosen = [pk for level, pk in reaching if level == best]
    return chosen[0] if len(chosen) == 1 else None


def unlink_programs(model, program_model) -> None:
    """The reverse: write each linked program's name back into `facilitated_by`."""
    names = program_model.objects.filter(pk=OuterRef("program_id")).values("name")[:1]
    model.objects.filter(program__isnull=False).update(facilitated_by=Subquery(names),
                                                       program=None)
