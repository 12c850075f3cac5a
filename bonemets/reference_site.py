"""A browsable reference of the knowledge base: static HTML pages that open offline.

:func:`write_reference` writes an index with a search box, and one page per treatment family,
option, test, alert, rule and source. An item's page says which statuses it can get and from
which rules (and its default); a rule's page gives its condition in words, its reason, its worked
examples and its full citations; a source's page lists every rule and item that cites it. Pages
link both ways (item -> rules -> sources, and back), use relative links only, and carry their
CSS and script inline, so the directory opens from ``file://`` with no network. All text is
escaped with :func:`html.escape`; only ``http(s)`` addresses become links.

Build it with ``bonemets knowledge --html DIR`` or :func:`write_reference`; see
``docs/knowledge-reference.md``.

>>> import bonemets
>>> from bonemets.reference_site import reference_pages
>>> pages = reference_pages(bonemets.knowledge())
>>> "Creatinine clearance (mL/min): below 30" in pages["rule-low_clearance_avoid_iv_bisphosphonate.html"]
True
"""

from __future__ import annotations

import html
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable
from urllib.parse import quote, urlparse

from .condition_words import Clause, describe, fields_of, value_words, word_list
from .conditions import Node, compile_condition
from .derived import DERIVED
from .exceptions import BonemetsError, KnowledgeError
from .explorer.labels import field_label
from .views import ALERT_COLOURS, ALERT_LABELS, STATUS_COLOURS, STATUS_LABELS, URGENCY_LABELS, ink
from .vocabulary import ALERT_LEVELS, DISCLAIMER, STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from .knowledge import KnowledgeBase, Rule, Source

__all__ = ["reference_pages", "write_reference"]

#: A file in every directory :func:`write_reference` writes; only such a directory is replaced.
MARKER = ".bonemets-reference"

_KIND_WORDS = {"family": "Treatment family", "option": "Treatment option", "test": "Test", "alert": "Alert",
               "rule": "Rule", "source": "Source"}


def write_reference(directory: str | Path, kb: KnowledgeBase | None = None) -> Path:
    """Write the knowledge reference into ``directory``; returns the path of its index page.

    The pages are written into a new directory beside ``directory`` and then renamed into place,
    so a reader never sees half a reference. A directory written earlier by this function (it
    holds the file :data:`MARKER`) is replaced; any other non-empty directory is left alone.

    Parameters
    ----------
    directory : str or Path
        Where to write; created if missing.
    kb : KnowledgeBase, optional
        The knowledge to describe; by default the one shipped with bonemets.

    Returns
    -------
    Path
        ``directory/index.html``.

    Raises
    ------
    BonemetsError
        ``directory`` is a file, or a non-empty directory that holds no earlier reference.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise BonemetsError(f"{target}: is a file, not a directory; give a new or empty directory for the reference")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise BonemetsError(f"{target}: not empty and not an earlier knowledge reference; give a new or empty "
                            "directory")
    pages = reference_pages(kb)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, text in pages.items():
            (staging / name).write_text(text, encoding="utf-8")
        (staging / MARKER).write_text("Written by bonemets (knowledge --html); rebuilding the reference replaces "
                                      "this whole directory.\n", encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private
        if target.exists():  # empty, or an earlier reference: move it aside, then remove it
            aside = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
            target.rename(aside)
            staging.rename(target)
            shutil.rmtree(aside)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # only left behind if something failed
    return target / "index.html"


def reference_pages(kb: KnowledgeBase | None = None) -> dict[str, str]:
    """Every page of the reference: file name -> HTML (``index.html`` first).

    Parameters
    ----------
    kb : KnowledgeBase, optional
        The knowledge to describe; by default the one shipped with bonemets.
    """
    if kb is None:
        from .knowledge import knowledge

        kb = knowledge()
    return _Site(kb).pages()


def page_name(kind: str, entry_id: str) -> str:
    """The file of one entry's page, e.g. ``rule-low_calcium_correct_first.html``."""
    return f"{kind}-{quote(entry_id, safe='')}.html"


# --------------------------------------------------------------------------- small pieces


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too)."""
    return html.escape(str(value), quote=True)


def web_url(url: Any) -> str | None:
    """``url`` if it is an ``http(s)`` address with a host, else None (never a ``javascript:`` link)."""
    if not isinstance(url, str):
        return None
    parts = urlparse(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def _external(href: str, text: str) -> str:
    return f'<a class="ext" href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def _badge(text: str, colour: str) -> str:
    return f'<span class="badge" style="background:{colour};color:{ink(colour)}">{esc(text)}</span>'


def status_badge(status: str, alert: bool = False) -> str:
    """A status, or with ``alert`` an alert state, as a coloured badge with its label."""
    if alert:
        return _badge(ALERT_LABELS[status], ALERT_COLOURS[status])
    return _badge(STATUS_LABELS[status], STATUS_COLOURS[status])


def _title(text: str) -> str:
    """A rule title as people write it: ``A -> B`` becomes ``A → B``."""
    return text.replace("->", "\u2192")


def source_links(src: Source) -> list[tuple[str, str]]:
    """(text, address) of a source's web page, PubMed record and DOI, where it has them.

    ``pmid`` and ``doi`` are read with :func:`getattr` so older knowledge without them works.
    """
    links = []
    url = web_url(getattr(src, "url", None))
    if url:
        links.append((urlparse(url).netloc.removeprefix("www."), url))
    pmid = str(getattr(src, "pmid", None) or "").strip()
    if pmid.isdigit():
        links.append((f"PubMed {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    doi = str(getattr(src, "doi", None) or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        doi = doi.removeprefix(prefix)
    if doi.startswith("10."):
        links.append((f"DOI {doi}", "https://doi.org/" + quote(doi, safe="/:;()._-<>")))
    return links


def _clause_html(clause: Clause, unfold: bool) -> str:
    """A condition in words as nested lists; a named condition's definition opens under its title."""
    if clause.named:
        definition = clause.parts[0]
        if not definition.parts:  # one field test: say it in brackets
            return f'<span class="named">{esc(clause.text)}</span> <span class="def">({esc(definition.text)})</span>'
        if definition.named:
            what, parts = "which means:", (definition,)
        else:
            what, parts = f"which means {definition.text}", definition.parts
        return (f'<details class="concept"{" open" if unfold else ""}><summary><span class="named">'
                f'{esc(clause.text)}</span></summary><span class="def">{esc(what)}</span>'
                f'<ul class="cond">{"".join(_clause_li(p, unfold) for p in parts)}</ul></details>')
    if not clause.parts:
        return esc(clause.text)
    return (f'<span class="op">{esc(clause.text)}</span>'
            f'<ul class="cond">{"".join(_clause_li(p, unfold) for p in clause.parts)}</ul>')


def _clause_li(clause: Clause, unfold: bool) -> str:
    return f"<li>{_clause_html(clause, unfold)}</li>"


def condition_html(clause: Clause, unfold: bool) -> str:
    """A rule's whole condition in words, as a block; ``unfold`` opens every named condition."""
    return f'<div class="when"><ul class="cond top">{_clause_li(clause, unfold)}</ul></div>'


def _case_text(case: Any) -> str:
    """An example case as ``Field: value · Field: value``; ``nothing known`` when empty."""
    if hasattr(case, "known"):  # a Case
        case = case.known()
    elif hasattr(case, "model_dump"):
        case = {k: v for k, v in case.model_dump().items() if v is not None}
    parts = [f"{field_label(k)}: {value_words(v)}" for k, v in dict(case).items()]
    return " \u00b7 ".join(parts) if parts else "a case with nothing known"


# --------------------------------------------------------------------------- the site


@dataclass(frozen=True)
class _RuleView:
    rule: Rule
    condition: Node | None  # None: a retired rule whose condition no longer compiles


class _Site:
    """The knowledge indexed both ways, and one method per kind of page."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: dict[str, dict[str, Any]] = {"family": kb.families, "option": kb.options, "test": kb.tests,
                                                   "alert": kb.alerts, "source": kb.sources}
        self.rules = [_RuleView(c.rule, c.condition) for c in kb.rules]
        self.rules += [_RuleView(r, self._compile(r)) for r in kb.retired_rules]
        self.rule_by_id = {v.rule.id: v for v in self.rules}
        self.rules_of: dict[str, list[_RuleView]] = {}
        for view in self.rules:
            for target in view.rule.targets:
                self.rules_of.setdefault(target, []).append(view)
        self.cited_by: dict[str, list[tuple[str, str, str, str]]] = {s: [] for s in kb.sources}
        for kind in ("family", "option", "test", "alert"):
            for e in self.entries[kind].values():
                cited = e.citations() if hasattr(e, "citations") else e.sources
                for c in cited:
                    self.cited_by.setdefault(c.source, []).append((kind, e.id, e.name, c.section))
        for view in self.rules:
            for c in view.rule.sources:
                self.cited_by.setdefault(c.source, []).append(("rule", view.rule.id, _title(view.rule.title),
                                                               c.section))
        for concept in kb.concepts.values():
            for c in concept.sources:
                self.cited_by.setdefault(c.source, []).append(("concept", concept.id, concept.title, c.section))

    def _compile(self, rule: Rule) -> Node | None:
        try:
            return compile_condition(rule.when, f"rule '{rule.id}'", self.kb.concept_nodes)
        except KnowledgeError:
            return None

    # ------------------------------------------------------------------ links

    def name_of(self, kind: str, entry_id: str) -> str:
        if kind == "rule":
            view = self.rule_by_id.get(entry_id)
            return _title(view.rule.title) if view else entry_id.replace("_", " ")
        entry = self.entries[kind].get(entry_id)
        if entry is None:
            return entry_id.replace("_", " ")
        return entry.label() if kind == "source" else entry.name

    def link(self, kind: str, entry_id: str, text: str | None = None) -> str:
        """A link to an entry's page, or its name as text if it has no page."""
        known = entry_id in (self.rule_by_id if kind == "rule" else self.entries.get(kind, {}))
        text = text if text is not None else self.name_of(kind, entry_id)
        return _link(page_name(kind, entry_id), text) if known else esc(text)

    def target_link(self, target: str) -> str:
        try:
            return self.link(self.kb.kind(target), target)
        except KeyError:  # a retired rule's target that is gone
            return esc(target.replace("_", " "))

    def citations_html(self, cited: Iterable[Any]) -> str:
        """Full citations: source (linked to its page), section, excerpt and outside links."""
        items = []
        for c in cited:
            src = self.kb.sources.get(c.source)
            head = self.link("source", c.source)
            excerpt = f' <q class="excerpt">{esc(c.excerpt)}</q>' if c.excerpt else ""
            links = " ".join(_external(u, t) for t, u in source_links(src)) if src is not None else ""
            items.append(f"<li>{head}, section \u201c{esc(c.section)}\u201d.{excerpt}"
                         f"{f' <span class=links>{links}</span>' if links else ''}</li>")
        return f'<ul class="cites">{"".join(items)}</ul>' if items else '<p class="muted">No citation.</p>'

    # ------------------------------------------------------------------ pages

    def pages(self) -> dict[str, str]:
        out = {"index.html": self.index_page()}
        for kind in ("family", "option", "test", "alert"):
            for entry in self.entries[kind].values():
                out[page_name(kind, entry.id)] = self.item_page(kind, entry)
        for view in self.rules:
            out[page_name("rule", view.rule.id)] = self.rule_page(view)
        for src in self.kb.sources.values():
            out[page_name("source", src.id)] = self.source_page(src)
        return out

    def page(self, title: str, kind: str, body: str) -> str:
        kb = self.kb
        about = f"{kb.manifest.get('name', 'knowledge')} {kb.version}"
        crumb = f'<span class="kind">{esc(_KIND_WORDS.get(kind, ""))}</span>' if kind else ""
        return (
            "<!doctype html>\n"
            f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{esc(title)} \u2014 bonemets knowledge reference</title>'
            f"<style>{_CSS}</style></head><body>"
            f'<header><a class="home" href="index.html">bonemets knowledge reference</a>'
            f'<span class="version">{esc(about)}</span></header>'
            f'<p class="disclaimer">{esc(DISCLAIMER)}</p>'
            f"<main>{crumb}<h1>{esc(title)}</h1>{body}</main></body></html>\n")

    def _lifecycle(self, entry: Any) -> str:
        if entry.status == "retired" and entry.retired is not None:
            return (f'<p class="banner retired">Retired on {esc(entry.retired.date)}: {esc(entry.retired.reason)}. '
                    "Kept for the record; not used in assessments.</p>")
        if entry.status == "draft":
            return '<p class="banner draft">Draft: under review.</p>'
        return ""

    def item_page(self, kind: str, entry: Any) -> str:
        """A family, option, test or alert: what it is, its statuses and rules, its sources."""
        parts = [self._lifecycle(entry)]
        if kind == "option":
            parts.append(f'<p class="meta">In the family {self.link("family", entry.family)}</p>')
        if getattr(entry, "summary", ""):
            parts.append(f'<p class="lead">{esc(entry.summary)}</p>')
        if entry.description:
            parts.append(f'<p class="lead">{esc(entry.description)}</p>')
        if kind == "alert":  # what to do comes first
            parts.append(self._details(kind, entry))
        parts.append(self._alert_levels(entry) if kind == "alert" else self._statuses(kind, entry))
        rules = self.rules_of.get(entry.id, [])
        if rules:
            cards = "".join(self._rule_card(v) for v in rules)
            parts.append(f'<h2>Rules ({len(rules)})</h2><div class="rules">{cards}</div>')
        if kind != "alert":
            parts.append(self._details(kind, entry))
        parts.append(f"<h2>Sources</h2>{self.citations_html(entry.sources)}")
        return self.page(entry.name, kind, "".join(parts))

    def _details(self, kind: str, entry: Any) -> str:
        rows: list[tuple[str, str]] = []
        if kind == "alert":
            rows.append(("Actions", "<ul>" + "".join(f"<li>{esc(a)}</li>" for a in entry.actions) + "</ul>"))
            if entry.professional_text:
                rows.append(("For professionals", esc(entry.professional_text)))
            if entry.patient_text:
                rows.append(("For patients", esc(entry.patient_text)))
        if kind == "option":
            if entry.drugs:
                rows.append(("Drugs", esc(", ".join(entry.drugs))))
            if entry.route:
                rows.append(("Route", esc(value_words(entry.route))))
            for label, part in (("Schedule", entry.schedule), ("Time to benefit", entry.time_to_benefit)):
                if part is not None:
                    rows.append((label, f"{esc(part.text)}{self.citations_html(part.sources)}"))
            if isinstance(getattr(entry, "dosing", None), str):
                rows.append(("Dose", f"adjusted to the case ({esc(value_words(entry.dosing))})"))
            if entry.monitoring:
                rows.append(("Tests before and during", ", ".join(self.link("test", t) for t in entry.monitoring)))
            if entry.side_effects:
                effects = "".join(f"<li><b>{esc(e.name)}</b>: {esc(e.text)}{self.citations_html(e.sources)}</li>"
                                  for e in entry.side_effects)
                rows.append(("Side effects and cautions", f'<ul class="effects">{effects}</ul>'))
        if kind == "test":
            if entry.settles:
                rows.append(("Settles", esc(", ".join(field_label(f) for f in entry.settles))))
            users = [o for o in self.kb.options.values() if entry.id in o.monitoring]
            if users:
                rows.append(("Checked for", ", ".join(self.link("option", o.id) for o in users)))
        if not rows:
            return ""
        body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
        heading = {"option": "Treatment detail", "alert": "What to do", "test": "What it settles"}.get(kind, "Detail")
        return f'<h2>{heading}</h2><table class="facts">{body}</table>'

    def _live_rules(self, entry_id: str) -> list[_RuleView]:
        return [v for v in self.rules_of.get(entry_id, []) if v.rule.status != "retired"]

    @staticmethod
    def _can_be_unknown(rules: list[_RuleView]) -> bool:
        """Whether any of these rules tests a field (and so can hang on an unknown one)."""
        return any(v.condition is not None and next(v.condition.atoms(), None) is not None for v in rules)

    def _possible(self, entry: Any) -> list[str]:
        """The statuses an item can get: from its rules, its default, and undetermined."""
        rules = self._live_rules(entry.id)
        can = {v.rule.gives for v in rules} | {getattr(entry, "default_status", "not_indicated")}
        if self._can_be_unknown(rules):
            can.add("undetermined")
        return [s for s in STATUSES if s in can]

    def _statuses(self, kind: str, entry: Any) -> str:
        """Which statuses the item can get, from which rules, and its default."""
        options = [o for o in self.kb.options.values() if o.family == entry.id]
        if kind == "family" and options:
            rows = "".join(f"<tr><td>{self.link('option', o.id)}</td><td>"
                           f"{' '.join(status_badge(s) for s in self._possible(o))}</td></tr>" for o in options)
            return ("<h2>Statuses</h2><p>A family takes the most favourable status of its options; each "
                    f'option can be:</p><table class="list">{rows}</table>')
        rules = self._live_rules(entry.id)
        default = getattr(entry, "default_status", "not_indicated")
        rows = []
        for status in self._possible(entry):
            given = [v for v in rules if v.rule.gives == status]
            text = []
            if given:
                text.append("when one of these rules holds: " + self._rule_list(given))
            if status == default:
                text.append("the default, when no rule holds")
            if status == "undetermined":
                text.append("when a rule that would change the status hangs on an unknown factor")
            rows.append((status, "; ".join(text)))
        body = "".join(f"<tr><th>{status_badge(s)}</th><td>{t}</td></tr>" for s, t in rows)
        note = "Avoid outranks every other status; otherwise the most favourable status of the rules that hold applies."
        return f'<h2>Statuses</h2><table class="statuses">{body}</table><p class="muted">{note}</p>'

    def _alert_levels(self, alert: Any) -> str:
        """The levels an alert is raised at, by which rules; not raised by default."""
        rules = self._live_rules(alert.id)
        rows = [(level, "raised when one of these rules holds: " + self._rule_list(given))
                for level in ALERT_LEVELS if (given := [v for v in rules if v.rule.level == level])]
        if self._can_be_unknown(rules):
            rows.append(("undetermined", "when no rule holds but one hangs on an unknown factor"))
        rows.append(("not_raised", "when no rule holds (the default)"))
        body = "".join(f"<tr><th>{status_badge(s, alert=True)}</th><td>{t}</td></tr>" for s, t in rows)
        return (f'<h2>Levels</h2><table class="statuses">{body}</table>'
                '<p class="muted">The most severe level of the rules that hold is raised.</p>')

    def _rule_list(self, views: list[_RuleView]) -> str:
        items = []
        for v in views:
            urgency = (f' <span class="urgency">{esc(URGENCY_LABELS[v.rule.urgency])}</span>'
                       if v.rule.urgency != "routine" else "")
            items.append(f"<li>{self.link('rule', v.rule.id)}{urgency}</li>")
        return f'<ul class="plain">{"".join(items)}</ul>'

    def _gives(self, rule: Rule) -> str:
        given = rule.gives or rule.level or ""
        verb = "Raises" if rule.level else "Gives"
        urgency = (f' <span class="urgency">{esc(URGENCY_LABELS[rule.urgency])}</span>'
                   if rule.urgency != "routine" else "")
        targets = ", ".join(self.target_link(t) for t in rule.targets)
        badge = status_badge(given, alert=rule.level is not None)
        return f"{verb} {badge}{urgency} {'to' if rule.gives else 'for'} {targets}"

    def _when(self, view: _RuleView, unfold: bool) -> str:
        if view.condition is None:
            return '<p class="muted">This retired rule names something no longer in the knowledge.</p>'
        return condition_html(describe(view.condition, self.kb), unfold)

    def _rule_card(self, view: _RuleView) -> str:
        rule = view.rule
        retired = ' <span class="muted">(retired)</span>' if rule.status == "retired" else ""
        return (f'<div class="card"><div class="card-head">{self.link("rule", rule.id)}{retired}</div>'
                f'<div class="meta">{self._gives(rule)}</div>'
                f"<div class=label>When</div>{self._when(view, unfold=False)}"
                f'<div class="because">{esc(rule.because)}</div></div>')

    def rule_page(self, view: _RuleView) -> str:
        """A rule: what it gives to which items, when (in words), why, examples and sources."""
        rule = view.rule
        parts = [self._lifecycle(rule), f'<p class="meta">{self._gives(rule)}</p>']
        dates = [(w, getattr(rule, w, None)) for w in ("added", "modified")]
        if any(d for _, d in dates):
            parts.append('<p class="muted">' + "; ".join(f"{w.capitalize()} {esc(d)}" for w, d in dates if d)
                         + "</p>")
        parts.append(f"<h2>When</h2>{self._when(view, unfold=True)}")
        parts.append(self._computed(view.condition))
        parts.append(f'<h2>Why</h2><p class="because">{esc(rule.because)}</p>')
        parts.append(self._examples(rule))
        parts.append(f"<h2>Sources</h2>{self.citations_html(rule.sources)}")
        return self.page(_title(rule.title), "rule", "".join(parts))

    def _computed(self, node: Node | None) -> str:
        """Where a condition uses a computed number, what it is computed from."""
        notes = [f"{esc(field_label(f))} is computed from "
                 f"{esc(word_list([field_label(i) for i in DERIVED[f].inputs], 'and'))}; unknown if any of them is."
                 for f in (fields_of(node) if node is not None else []) if f in DERIVED]
        return "".join(f'<p class="muted">{n}</p>' for n in notes)

    def _examples(self, rule: Rule) -> str:
        groups = (("Holds for", "triggers"), ("Does not hold for", "does_not_trigger"),
                  ("Cannot tell (a factor is unknown) for", "undetermined"))
        rows = []
        for label, attr in groups:
            cases = list(getattr(rule.examples, attr, None) or [])
            if cases:
                items = "".join(f"<li>{esc(_case_text(c))}</li>" for c in cases)
                rows.append(f'<tr><th>{esc(label)}</th><td><ul class="cases">{items}</ul></td></tr>')
        if not rows:
            return ""
        return f'<h2>Worked examples</h2><table class="facts examples">{"".join(rows)}</table>'

    def source_page(self, src: Source) -> str:
        """A source: its full reference and outside links, and every rule and item citing it."""
        rows = [("Publisher", esc(src.publisher)), ("Title", esc(src.title))]
        rows.append(("Date", esc(src.date or "undated")))
        rows.append(("Kind", esc(f"{value_words(src.kind)} ({src.level} source)")))
        links = source_links(src)
        if links:
            rows.append(("Links", " ".join(_external(u, t) for t, u in links)))
        if src.notes:
            rows.append(("Notes", esc(src.notes)))
        facts = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
        parts = [self._lifecycle(src), f'<table class="facts">{facts}</table>']
        citing = self.cited_by.get(src.id, [])
        for heading, kinds in (("Cited by rules", ("rule",)),
                               ("Cited by treatments, tests and alerts", ("family", "option", "test", "alert")),
                               ("Cited by named conditions", ("concept",))):
            lines = [(k, i, n, s) for k, i, n, s in citing if k in kinds]
            if not lines:
                continue
            body = "".join(
                f"<tr><td>{esc(n) if k == 'concept' else self.link(k, i, n)}</td>"
                + (f"<td class=muted>{esc(_KIND_WORDS[k])}</td>" if len(kinds) > 1 else "")
                + f"<td>section \u201c{esc(s)}\u201d</td></tr>" for k, i, n, s in lines)
            parts.append(f'<h2>{esc(heading)} ({len(lines)})</h2><table class="list">{body}</table>')
        if not citing:
            parts.append('<p class="muted">Not cited by any rule or item.</p>')
        return self.page(src.title, "source", "".join(parts))

    def index_page(self) -> str:
        """Every entry in one list, grouped by kind, filtered as the reader types."""
        kb = self.kb
        groups: list[tuple[str, list[str]]] = []
        treatments = []
        for fam in kb.families.values():
            treatments.append(self._entry("family", fam.id, "Treatment family", fam.description))
            for o in kb.options.values():
                if o.family == fam.id:
                    treatments.append(self._entry("option", o.id, "Option", o.description, nested=True))
        groups.append(("Treatments", treatments))
        groups.append(("Tests", [self._entry("test", t.id, "Test", t.description) for t in kb.tests.values()]))
        groups.append(("Alerts", [self._entry("alert", a.id, "Alert", a.summary) for a in kb.alerts.values()]))
        groups.append(("Rules", [self._entry("rule", v.rule.id, "Rule", self._search_words(v), self._gives(v.rule))
                                 for v in self.rules]))
        groups.append(("Sources", [self._entry("source", s.id, "Source", ", ".join(filter(None, (s.publisher, s.date))))
                                   for s in kb.sources.values()]))
        total = sum(len(entries) for _, entries in groups)
        sections = "".join(f'<section class="group" id="{h.lower()}"><h2>{esc(h)} <span class="muted n">'
                           f'({len(e)})</span></h2><ul class="entries">{"".join(e)}</ul></section>'
                           for h, e in groups)
        jumps = " \u00b7 ".join(f'<a href="#{h.lower()}">{esc(h)}</a>' for h, _ in groups)
        date = kb.manifest.get("date")
        counts = (f"{len(kb.families)} treatment families, {len(kb.options)} options, {len(kb.tests)} tests, "
                  f"{len(kb.alerts)} alerts, {len(self.rules)} rules and {len(kb.sources)} sources")
        body = (f'<p class="lead">Every treatment, test, alert, rule and source of the knowledge base '
                f'{esc(kb.manifest.get("name", ""))} {esc(kb.version)}{f" ({esc(date)})" if date else ""}: '
                f"{esc(counts)}. Each page says what an entry can be given, when (in words), why, and on "
                "what source.</p>"
                f"{_HOW_TO_READ}"
                '<div class="search"><label for="q">Search</label> '
                '<input id="q" type="search" placeholder="e.g. denosumab, calcium, ESMO" autocomplete="off">'
                f' <span id="count" class="muted">{total} entries</span><nav>{jumps}</nav></div>'
                f'<p id="none" class="muted" hidden>Nothing matches.</p>{sections}'
                f"<script>{_SEARCH_JS}</script>")
        return self.page("Knowledge reference", "", body)

    def _search_words(self, view: _RuleView) -> str:
        """What a rule is found by besides its title: the status given, its targets, its condition."""
        rule = view.rule
        given = STATUS_LABELS.get(rule.gives or "", "") or ALERT_LABELS.get(rule.level or "", "")
        targets = [self.name_of(self.kb.kind(t), t) for t in rule.targets if t in self.kb.all_ids()]
        words = describe(view.condition, self.kb).flat() if view.condition is not None else ""
        return " ".join([given, *targets, words])

    def _entry(self, kind: str, entry_id: str, kind_word: str, extra: str, shown: str | None = None,
               nested: bool = False) -> str:
        """One line of the index; ``extra`` is searched and, unless ``shown`` is given, shown."""
        name = self.name_of(kind, entry_id) if kind != "source" else self.entries["source"][entry_id].title
        search = " ".join((name, kind_word, extra)).lower()
        if shown is None:
            shown = esc(extra)
        note = f' <span class="muted">{shown}</span>' if shown else ""
        return (f'<li class="{"nested" if nested else ""}" data-search="{esc(search)}">'
                f'<span class="tag">{esc(kind_word)}</span>'
                f"<div>{_link(page_name(kind, entry_id), name)}{note}</div></li>")


_HOW_TO_READ = """<details class="howto"><summary>How to read these pages</summary><ul>
<li>Every treatment option and test has a <b>default status</b>, used when none of its rules holds.</li>
<li>A <b>rule</b> gives a status to one or more items when its condition holds for a case. If several
rules hold, <i>avoid</i> outranks every other status; otherwise the most favourable status applies.</li>
<li>An item is <i>undetermined</i> when a rule that would change its status depends on a factor the case
does not give; the item's reasons then name the test or question that would settle it.</li>
<li>A treatment family takes the most favourable status of its options.</li>
<li>An <b>alert</b> is raised at the most severe level of the rules that hold; it is <i>not ruled out</i>
when a rule depends on an unknown factor.</li>
<li>Conditions are shown in words. A named condition (dotted underline) gives its definition in
brackets or, when longer, under it (the triangle folds it). Each rule lists worked examples: cases it holds
for, cases it does not, and cases where it cannot tell.</li>
<li>Every rule and item cites its sources with the section used; a source's page lists everything that
cites it.</li></ul></details>"""

_SEARCH_JS = """
(function () {
  var box = document.getElementById('q'), count = document.getElementById('count');
  var none = document.getElementById('none');
  var rows = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.group'));
  function filter() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search');
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (g) {
      var n = g.querySelectorAll('li[data-search]:not([hidden])').length;
      var all = g.querySelectorAll('li[data-search]').length;
      g.hidden = n === 0;
      g.querySelector('.n').textContent = words.length ? '(' + n + ' of ' + all + ')' : '(' + all + ')';
    });
    count.textContent = words.length ? shown + ' of ' + rows.length + ' entries' : rows.length + ' entries';
    none.hidden = shown > 0;
  }
  box.addEventListener('input', filter);
  filter();
})();
"""

_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
  background: #fff; }
header { display: flex; align-items: baseline; gap: 12px; padding: 8px max(24px, calc((100% - 952px) / 2));
  background: #24292f; }
header a.home { color: #fff; font-weight: 600; text-decoration: none; }
header .version { color: #c9d1d9; font-size: 13px; }
.disclaimer { margin: 0; padding: 4px max(24px, calc((100% - 952px) / 2)); background: #fff8c5;
  border-bottom: 1px solid #e5d48a; color: #57503a; font-size: 12px; }
main { max-width: 1000px; margin: 0 auto; padding: 8px 24px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 2px 0 10px; }
h2 { font-size: 18px; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 1px solid #d0d7de; }
a { color: #0550ae; }
.kind { display: block; margin-top: 12px; color: #57606a; font-size: 12px; text-transform: uppercase;
  letter-spacing: .05em; }
.lead { font-size: 16px; margin: 6px 0; }
.meta { margin: 4px 0; }
.muted { color: #57606a; }
.badge { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 12px; font-weight: 600;
  letter-spacing: .02em; text-transform: uppercase; white-space: nowrap; }
.urgency { display: inline-block; border: 1px solid #bc4c00; color: #953800; border-radius: 4px; padding: 0 6px;
  font-size: 12px; text-transform: uppercase; }
table { border-collapse: collapse; }
table.facts, table.statuses, table.list { width: 100%; margin: 6px 0; }
table.facts th, table.statuses th { width: 190px; text-align: left; vertical-align: top; padding: 6px 12px 6px 0;
  font-weight: 600; }
table.facts td, table.statuses td, table.list td { vertical-align: top; padding: 6px 12px 6px 0; }
table.facts tr, table.statuses tr, table.list tr { border-bottom: 1px solid #eaeef2; }
table.facts ul, table.statuses ul { margin: 0; }
ul.effects, ul.cases { padding-left: 18px; }
ul.cases li + li { margin-top: 4px; }
ul.effects > li { margin-bottom: 6px; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { margin: 1px 0; }
ul.cites { padding-left: 20px; margin: 4px 0; }
ul.cites li { margin: 4px 0; }
q.excerpt { color: #424a53; font-style: italic; }
.links a.ext, a.ext { font-size: 13px; margin-right: 8px; white-space: nowrap; }
a.ext::after { content: " \\2197"; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.card-head { font-weight: 600; }
.label { margin-top: 6px; font-size: 12px; font-weight: 600; color: #57606a; text-transform: uppercase; }
.because { margin: 6px 0 0; }
.when { background: #f6f8fa; border-radius: 6px; padding: 6px 12px; margin: 4px 0; }
ul.cond { list-style: none; margin: 2px 0; padding-left: 18px; border-left: 2px solid #d0d7de; }
ul.cond.top { padding-left: 0; border-left: 0; }
ul.cond li { margin: 3px 0; }
ul.cond li::before { content: "\\2022"; color: #8c959f; margin-right: 6px; }
ul.cond.top > li::before { content: none; }
.op { font-weight: 600; color: #57606a; }
details.concept { display: inline-block; vertical-align: top; }
details.concept > summary { cursor: pointer; }
ul.cond li:has(> details)::before { content: none; }
.named { text-decoration: underline dotted #8c959f; text-underline-offset: 3px; }
.def { color: #57606a; font-size: 14px; }
details.concept > .def { display: block; }
.banner { padding: 6px 10px; border-radius: 6px; }
.banner.retired { background: #ffebe9; border: 1px solid #ff8182; }
.banner.draft { background: #ddf4ff; border: 1px solid #54aeff; }
details.howto { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 12px; margin: 10px 0; }
details.howto summary { cursor: pointer; font-weight: 600; }
.search { position: sticky; top: 0; background: #fff; padding: 10px 0; border-bottom: 1px solid #d0d7de; z-index: 1; }
.search label { font-weight: 600; }
.search nav { margin-top: 6px; font-size: 14px; }
.search input { font-size: 16px; padding: 5px 10px; width: min(440px, 70vw); border: 1px solid #8c959f;
  border-radius: 6px; }
ul.entries { list-style: none; padding: 0; margin: 0; }
ul.entries li { display: grid; grid-template-columns: 150px 1fr; column-gap: 8px; padding: 5px 0;
  border-bottom: 1px solid #eaeef2; }
ul.entries li.nested { grid-template-columns: 150px 1fr; }
ul.entries li.nested .tag { padding-left: 22px; }
ul.entries .muted { display: block; font-size: 13px; }
.tag { font-size: 11px; color: #57606a; text-transform: uppercase; letter-spacing: .04em; padding-top: 3px; }
section.group { scroll-margin-top: 96px; }
[hidden] { display: none !important; }
"""
