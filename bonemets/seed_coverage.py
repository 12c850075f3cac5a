"""The seed coverage table: every actionable statement of the five source texts, and the
knowledge entries that cover it.

The statements are listed in ``data/knowledge/seed_statements.yaml`` (id, source, section,
short excerpt, ``covered_by``); :func:`load_statements` checks that each names a source text
and entries that exist. :func:`quote_problems` checks that each section and excerpt is found in
its text (the texts are not shipped: they are read from ``shared/seeds`` beside the repository
or ``$BONEMETS_SEEDS``). :func:`coverage_table` writes the table ``docs/seed-coverage.md``
(``python tools/seed_coverage.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .case import suggest
from .exceptions import KnowledgeError
from .knowledge import KnowledgeBase
from .knowledge_files import read_entries
from .knowledge_models import Citation, Entry, SeedStatement

__all__ = ["SEED_FILES", "STATEMENTS_FILE", "coverage_table", "entry_kinds", "load_statements", "normalise",
           "quote_problems", "read_seeds", "seeds_dir"]

#: The file of statements, in a knowledge directory.
STATEMENTS_FILE = "seed_statements.yaml"
#: Each source text's source id and the first characters of its file name in the seeds directory.
SEED_FILES = {"csnz_advanced_bone": "000", "bccancer_bone_secondary": "001", "bcn_secondary_bone": "002",
              "merative_bone_metastasis": "003", "liv_diffuse_bony_mets": "004"}
#: The kinds of entry a statement may be covered by, in the order the table names them.
KINDS = ("family", "option", "test", "alert", "rule", "concept", "implied", "advice")


def seeds_dir() -> Path:
    """Where the source texts are: ``$BONEMETS_SEEDS``, else ``shared/seeds`` beside the repository."""
    if os.environ.get("BONEMETS_SEEDS"):
        return Path(os.environ["BONEMETS_SEEDS"])
    return Path(__file__).resolve().parents[2] / "shared" / "seeds"


def normalise(text: str) -> str:
    """Text as compared with a source text: line breaks (also inside a hyphenated word), runs of
    spaces, curly quotes and case folded."""
    text = re.sub(r"-[ \t]*\n\s*", "-", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split()).lower()


def read_seeds(directory: Path) -> dict[str, str]:
    """Each source text, normalised, by source id.

    Raises
    ------
    FileNotFoundError
        Naming the directory and the text that is missing.
    """
    texts = {}
    for source, prefix in SEED_FILES.items():
        found = sorted(directory.glob(f"{prefix}_*.txt"))
        if not found:
            raise FileNotFoundError(f"{directory}: no source text {prefix}_*.txt (for {source})")
        texts[source] = normalise(found[0].read_text(encoding="utf-8"))
    return texts


def entry_kinds(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Every live entry id a statement may name (retired ones excluded), with its kinds."""
    found: dict[str, list[str]] = {}
    tables: list[tuple[str, Iterable[Entry]]] = [
        ("family", kb.families.values()), ("option", kb.options.values()), ("test", kb.tests.values()),
        ("alert", kb.alerts.values()), ("rule", [r.rule for r in [*kb.rules, *kb.draft_rules]]),
        ("concept", kb.concepts.values()), ("implied", [i for i, _ in kb.implied]), ("advice", kb.advice.values())]
    for kind, entries in tables:
        for e in entries:
            if e.active and kind not in found.setdefault(e.id, []):
                found[e.id].append(kind)
    return found


def load_statements(kb: KnowledgeBase) -> list[SeedStatement]:
    """The active statements of ``seed_statements.yaml``, after checking their sources and entries.

    Raises
    ------
    KnowledgeError
        Naming the file, the statement, and the source or entry id that is not known.
    """
    file = kb.path / STATEMENTS_FILE
    statements = list(read_entries(file, SeedStatement).values())
    known = entry_kinds(kb)
    for s in statements:
        where = f"{file}: entry '{s.id}'"
        if s.source not in SEED_FILES:
            raise KnowledgeError(f"{where}: source '{s.source}' is not one of the source texts"
                                 f"{suggest(s.source, SEED_FILES)}; allowed: {', '.join(SEED_FILES)}")
        for entry_id in s.covered_by:
            if entry_id not in known:
                raise KnowledgeError(f"{where}: covered_by '{entry_id}' is not a live family, option, test, alert, "
                                     f"rule, concept, implied fact or advice id{suggest(entry_id, known)}")
    return [s for s in statements if s.active]


def quote_problems(quotes: Iterable[SeedStatement | Citation], texts: Mapping[str, str]) -> list[str]:
    """The sections and excerpts not found in their source text, one line each.

    Parameters
    ----------
    quotes : iterable of SeedStatement or Citation
        Those of another source than the five texts are skipped.
    texts : mapping of str to str
        Each source text, normalised (:func:`read_seeds`).
    """
    problems = []
    for q in quotes:
        if q.source not in texts:
            continue
        for part in ("section", "excerpt"):
            said = getattr(q, part)
            if said and normalise(said) not in texts[q.source]:
                label = getattr(q, "id", q.source)
                problems.append(f"{label}: {part} '{said}' is not in the text of {q.source}")
    return problems


def coverage_table(kb: KnowledgeBase, statements: list[SeedStatement]) -> str:
    """The seed coverage table in Markdown: statement -> entry ids, by source text and section."""
    kinds = entry_kinds(kb)
    by_source: dict[str, dict[str, list[SeedStatement]]] = {s: {} for s in SEED_FILES}
    for s in statements:
        by_source[s.source].setdefault(s.section, []).append(s)
    lines = ["# Seed coverage", "",
             "Every actionable statement of the five source texts (`data/knowledge/seed_statements.yaml`) and the "
             "knowledge entries that cover it, by source text and section. Generated by "
             "`python tools/seed_coverage.py`; a test checks this file is up to date, that every statement has an "
             "entry and every excerpt is found in its text. Do not edit by hand.", "",
             "| source text | statements | covered by advice only |", "|---|---|---|"]
    for source, sections in by_source.items():
        listed = [s for v in sections.values() for s in v]
        advice_only = sum(all(kinds.get(i) == ["advice"] for i in s.covered_by) for s in listed)
        lines.append(f"| {_label(kb, source)} | {len(listed)} | {advice_only} |")
    lines += [f"| all | {len(statements)} | |", ""]
    for source, sections in by_source.items():
        lines += [f"## {_label(kb, source)}", "", f"Source id `{source}`.", ""]
        for section, items in sections.items():
            lines += [f"### {section}", "", "| statement | excerpt | covered by |", "|---|---|---|"]
            lines += [f"| `{s.id}` | {_cell(s.excerpt)} | {_entries(s.covered_by, kinds)} |" for s in items]
            lines.append("")
    return "\n".join(lines)


def _label(kb: KnowledgeBase, source: str) -> str:
    return kb.sources[source].label() if source in kb.sources else source


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _entries(ids: list[str], kinds: Mapping[str, list[str]]) -> str:
    return "; ".join(f"{'/'.join(kinds.get(i, ['?']))} `{i}`" for i in ids)
