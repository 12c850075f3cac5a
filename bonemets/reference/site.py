"""The knowledge base indexed both ways for the reference: the rules of each item, what cites each
source, and links between pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..condition_words import describe
from ..conditions import Node, compile_condition
from ..exceptions import KnowledgeError
from .parts import (
    condition_html,
    esc,
    external,
    link,
    page_html,
    page_name,
    rule_title,
    source_links,
    status_badge,
    urgency_badge,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..knowledge import KnowledgeBase
    from ..knowledge_models import Citation, Rule


@dataclass(frozen=True)
class RuleView:
    """A rule as the reference shows it.

    Attributes
    ----------
    rule : Rule
    condition : Node or None
        The compiled condition; None for a retired rule whose condition no longer compiles.
    evaluated : bool
        Whether assessments with this knowledge use the rule (drafts only if asked, never retired).
    """

    rule: Rule
    condition: Node | None
    evaluated: bool


@dataclass(frozen=True)
class Citing:
    """One citation of a source: who cites it (kind, id, name) and the section cited."""

    kind: str
    id: str
    name: str
    section: str


class Site:
    """The knowledge indexed for the pages: rules by target, citations by source, and links."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: dict[str, dict[str, Any]] = {"family": kb.families, "option": kb.options, "test": kb.tests,
                                                   "alert": kb.alerts, "source": kb.sources}
        evaluated = {id(c) for c in kb.rules}
        self.rules = [RuleView(c.rule, c.condition, True) for c in kb.rules]
        self.rules += [RuleView(c.rule, c.condition, False) for c in kb.draft_rules if id(c) not in evaluated]
        self.rules += [RuleView(r, self._compile(r), False) for r in kb.retired_rules]
        self.rule_by_id = {v.rule.id: v for v in self.rules}
        self.rules_of: dict[str, list[RuleView]] = {}
        for view in self.rules:
            for target in view.rule.targets:
                self.rules_of.setdefault(target, []).append(view)
        self.cited_by: dict[str, list[Citing]] = {s: [] for s in kb.sources}
        for kind in ("family", "option", "test", "alert"):
            for e in self.entries[kind].values():
                for c in e.citations() if kind == "option" else e.sources:
                    self.cited_by.setdefault(c.source, []).append(Citing(kind, e.id, e.name, c.section))
        for view in self.rules:
            for c in view.rule.sources:
                self.cited_by.setdefault(c.source, []).append(
                    Citing("rule", view.rule.id, rule_title(view.rule.title), c.section))
        for concept in kb.concepts.values():
            for c in concept.sources:
                self.cited_by.setdefault(c.source, []).append(Citing("concept", concept.id, concept.title, c.section))

    def _compile(self, rule: Rule) -> Node | None:
        try:
            return compile_condition(rule.when, f"rule '{rule.id}'", self.kb.concept_nodes)
        except KnowledgeError:
            return None

    def name_of(self, kind: str, entry_id: str) -> str:
        """The name people know an entry by (a rule's title, a source's label)."""
        if kind == "rule":
            view = self.rule_by_id.get(entry_id)
            return rule_title(view.rule.title) if view else entry_id.replace("_", " ")
        entry = self.entries[kind].get(entry_id)
        if entry is None:
            return entry_id.replace("_", " ")
        return str(entry.label() if kind == "source" else entry.name)

    def link(self, kind: str, entry_id: str, text: str | None = None) -> str:
        """A link to an entry's page, or its name as text if it has no page."""
        known = entry_id in (self.rule_by_id if kind == "rule" else self.entries.get(kind, {}))
        text = text if text is not None else self.name_of(kind, entry_id)
        return link(page_name(kind, entry_id), text) if known else esc(text)

    def target_link(self, target: str) -> str:
        """A link to a rule's target, whatever its kind."""
        try:
            return self.link(self.kb.kind(target), target)
        except KeyError:  # a retired rule's target that is gone
            return esc(target.replace("_", " "))

    def citations_html(self, cited: Iterable[Citation]) -> str:
        """Full citations: source (linked to its page), section, excerpt and outside links."""
        items = []
        for c in cited:
            src = self.kb.sources.get(c.source)
            excerpt = f' <q class="excerpt">{esc(c.excerpt)}</q>' if c.excerpt else ""
            links = " ".join(external(u, t) for t, u in source_links(src)) if src is not None else ""
            items.append(f"<li>{self.link('source', c.source)}, section \u201c{esc(c.section)}\u201d.{excerpt}"
                         + (f' <span class="links">{links}</span>' if links else "") + "</li>")
        return f'<ul class="cites">{"".join(items)}</ul>' if items else '<p class="muted">No citation.</p>'

    def live_rules(self, entry_id: str) -> list[RuleView]:
        """The rules assessments use for an item or alert."""
        return [v for v in self.rules_of.get(entry_id, []) if v.evaluated]

    def gives_html(self, rule: Rule) -> str:
        """``Gives AVOID to Intravenous bisphosphonate`` (or ``Raises ... for`` an alert)."""
        given = rule.gives or rule.level or ""
        badge = status_badge(given, alert=rule.level is not None)
        targets = ", ".join(self.target_link(t) for t in rule.targets)
        verb, to = ("Raises", "for") if rule.level else ("Gives", "to")
        return f"{verb} {badge}{urgency_badge(rule.urgency)} {to} {targets}"

    def when_html(self, view: RuleView, unfold: bool) -> str:
        """A rule's condition in words; ``unfold`` opens every named condition."""
        if view.condition is None:
            return '<p class="muted">This retired rule names something no longer in the knowledge.</p>'
        return condition_html(describe(view.condition, self.kb), unfold)

    def rule_list(self, views: list[RuleView]) -> str:
        """Links to rules, one a line, with their urgency."""
        items = "".join(f"<li>{self.link('rule', v.rule.id)}{urgency_badge(v.rule.urgency)}</li>" for v in views)
        return f'<ul class="plain">{items}</ul>'

    def lifecycle_html(self, entry: Any) -> str:
        """A banner for a retired or draft entry (nothing for an active one)."""
        if entry.status == "retired" and entry.retired is not None:
            return (f'<p class="banner retired">Retired on {esc(entry.retired.date)}: {esc(entry.retired.reason)}. '
                    "Kept for the record; not used in assessments.</p>")
        if entry.status == "draft":
            view = self.rule_by_id.get(entry.id)
            used = view is not None and view.evaluated
            return ('<p class="banner draft">Draft, under review: '
                    + ("used here because drafts were asked for." if used else "not used in assessments.") + "</p>")
        return ""

    def page(self, title: str, kind: str, body: str) -> str:
        """A whole page of this knowledge's reference."""
        about = f"{self.kb.manifest.get('name', 'knowledge')} {self.kb.version}"
        return page_html(title, kind, body, about)
