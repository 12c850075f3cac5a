"""The index of the reference (every entry, grouped by kind, with a search box), and every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..condition_words import describe
from ..knowledge import knowledge
from ..views import ALERT_LABELS, STATUS_LABELS
from .assets import HOW_TO_READ, SEARCH_JS
from .pages import item_page, rule_page, source_page
from .parts import esc, link, page_name
from .site import RuleView, Site

if TYPE_CHECKING:  # pragma: no cover
    from ..knowledge import KnowledgeBase


def reference_pages(kb: KnowledgeBase | None = None) -> dict[str, str]:
    """Every page of the reference: file name -> HTML (``index.html`` first).

    Parameters
    ----------
    kb : KnowledgeBase, optional
        The knowledge to describe; by default the one shipped with bonemets.
    """
    site = Site(kb if kb is not None else knowledge())
    pages = {"index.html": index_page(site)}
    for kind in ("family", "option", "test", "alert"):
        pages |= {page_name(kind, e.id): item_page(site, kind, e) for e in site.entries[kind].values()}
    pages |= {page_name("rule", v.rule.id): rule_page(site, v) for v in site.rules}
    pages |= {page_name("source", s.id): source_page(site, s) for s in site.kb.sources.values()}
    return pages


def index_page(site: Site) -> str:
    """Every entry in one list, grouped by kind, filtered as the reader types."""
    kb = site.kb
    treatments = []
    for fam in kb.families.values():
        treatments.append(_entry(site, "family", fam.id, "Treatment family", fam.description))
        treatments += [_entry(site, "option", o.id, "Option", o.description, nested=True)
                       for o in kb.options.values() if o.family == fam.id]
    groups = [
        ("Treatments", treatments),
        ("Tests", [_entry(site, "test", t.id, "Test", t.description) for t in kb.tests.values()]),
        ("Alerts", [_entry(site, "alert", a.id, "Alert", a.summary) for a in kb.alerts.values()]),
        ("Rules", [_entry(site, "rule", v.rule.id, "Rule", _search_words(site, v), _rule_note(site, v))
                   for v in site.rules]),
        ("Sources", [_entry(site, "source", s.id, "Source", ", ".join(filter(None, (s.publisher, s.date))))
                     for s in kb.sources.values()]),
    ]
    total = sum(len(entries) for _, entries in groups)
    sections = "".join(f'<section class="group" id="{h.lower()}"><h2>{h} <span class="muted n">({len(e)})</span>'
                       f'</h2><ul class="entries">{"".join(e)}</ul></section>' for h, e in groups)
    jumps = " \u00b7 ".join(f'<a href="#{h.lower()}">{h}</a>' for h, _ in groups)
    date = kb.manifest.get("date")
    about = f"{kb.manifest.get('name', '')} {kb.version}" + (f" ({date})" if date else "")
    counts = (f"{len(kb.families)} treatment families, {len(kb.options)} options, {len(kb.tests)} tests, "
              f"{len(kb.alerts)} alerts, {len(site.rules)} rules and {len(kb.sources)} sources")
    body = (f'<p class="lead">Every treatment, test, alert, rule and source of the knowledge base {esc(about)}: '
            f"{counts}. Each page says what an entry can be given, when (in words), why, and on what source.</p>"
            f"{HOW_TO_READ}"
            '<div class="search"><label for="q">Search</label> '
            '<input id="q" type="search" placeholder="e.g. denosumab, calcium, ESMO" autocomplete="off">'
            f' <span id="count" class="muted">{total} entries</span><nav>{jumps}</nav></div>'
            f'<p id="none" class="muted" hidden>Nothing matches.</p>{sections}<script>{SEARCH_JS}</script>')
    return site.page("Knowledge reference", "", body)


def _rule_note(site: Site, view: RuleView) -> str:
    unused = "" if view.evaluated else f' <span class="muted">({esc(view.rule.status)}, not used)</span>'
    return site.gives_html(view.rule) + unused


def _search_words(site: Site, view: RuleView) -> str:
    """What a rule is found by besides its title: the status given, its targets, its condition."""
    rule = view.rule
    given = STATUS_LABELS.get(rule.gives or "", "") or ALERT_LABELS.get(rule.level or "", "")
    known = set(site.kb.all_ids())
    targets = [site.name_of(site.kb.kind(t), t) for t in rule.targets if t in known]
    words = describe(view.condition, site.kb).flat() if view.condition is not None else ""
    return " ".join([given, *targets, words, rule.status])


def _entry(site: Site, kind: str, entry_id: str, kind_word: str, extra: str, shown: str | None = None,
           nested: bool = False) -> str:
    """One line of the index: ``extra`` (text) is searched and, unless ``shown`` (HTML) is given, shown."""
    name = site.kb.sources[entry_id].title if kind == "source" else site.name_of(kind, entry_id)
    search = " ".join((name, kind_word, extra)).lower()
    note = shown if shown is not None else esc(extra)
    return (f'<li class="{kind}{" nested" if nested else ""}" data-search="{esc(search)}">'
            f'<span class="tag">{esc(kind_word)}</span><div>{link(page_name(kind, entry_id), name)}'
            + (f' <span class="muted">{note}</span>' if note else "") + "</div></li>")
