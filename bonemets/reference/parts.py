"""Small pieces of the reference pages: file names, escaping, safe links, badges, conditions in
words as nested lists, example cases, and the page frame. Every piece escapes the text it is given.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlparse

from ..condition_words import Clause
from ..labels import field_label, value_text
from ..views import ALERT_COLOURS, ALERT_LABELS, STATUS_COLOURS, STATUS_LABELS, URGENCY_LABELS, ink
from ..vocabulary import DISCLAIMER
from .assets import CSS

if TYPE_CHECKING:  # pragma: no cover
    from ..case import Case
    from ..knowledge_models import Source

#: What each kind of page is about, in words.
KIND_WORDS = {"family": "Treatment family", "option": "Treatment option", "test": "Test", "alert": "Alert",
              "rule": "Rule", "source": "Source", "concept": "Named condition"}


def page_name(kind: str, entry_id: str) -> str:
    """The file of one entry's page, e.g. ``rule-low_calcium_correct_first.html``."""
    return f"{kind}-{quote(entry_id, safe='')}.html"


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too)."""
    return html.escape(str(value), quote=True)


def web_url(url: Any) -> str | None:
    """``url`` if it is an ``http(s)`` address with a host, else None (never a ``javascript:`` link)."""
    if not isinstance(url, str):
        return None
    parts = urlparse(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def link(href: str, text: str) -> str:
    """A link to another page of the reference."""
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def external(href: str, text: str) -> str:
    """A link out of the reference (opens in a new tab); ``href`` must have passed :func:`web_url`."""
    return f'<a class="ext" href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def status_badge(status: str, alert: bool = False) -> str:
    """A status, or with ``alert`` an alert state, as a coloured badge with its label."""
    text, colour = (ALERT_LABELS, ALERT_COLOURS) if alert else (STATUS_LABELS, STATUS_COLOURS)
    return (f'<span class="badge" style="background:{colour[status]};color:{ink(colour[status])}">'
            f"{esc(text[status])}</span>")


def urgency_badge(urgency: str) -> str:
    """``soon`` or ``emergency`` as an outlined badge; nothing for routine."""
    return f' <span class="urgency">{esc(URGENCY_LABELS[urgency])}</span>' if urgency != "routine" else ""


def rule_title(text: str) -> str:
    """A rule title as people write it: ``A -> B`` becomes ``A → B``."""
    return text.replace("->", "\u2192")


def source_links(src: Source) -> list[tuple[str, str]]:
    """(text, address) of a source's web page, PubMed record and DOI, where it has them."""
    links = []
    url = web_url(src.url)
    if url:
        links.append((urlparse(url).netloc.removeprefix("www."), url))
    if src.pmid and src.pmid.isdigit():
        links.append((f"PubMed {src.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{src.pmid}/"))
    if src.doi and src.doi.startswith("10."):
        links.append((f"DOI {src.doi}", "https://doi.org/" + quote(src.doi, safe="/:;()._-<>")))
    return links


def condition_html(clause: Clause, unfold: bool) -> str:
    """A condition in words as a block of nested lists; ``unfold`` opens every named condition."""
    return f'<div class="when"><ul class="cond top">{_clause_li(clause, unfold)}</ul></div>'


def _clause_li(clause: Clause, unfold: bool) -> str:
    return f"<li>{_clause_html(clause, unfold)}</li>"


def _clause_html(clause: Clause, unfold: bool) -> str:
    """One clause; a named condition gives its definition in brackets, or under its title."""
    if clause.named:
        definition = clause.parts[0]
        if not definition.parts:  # one field test: say it in brackets
            return f'<span class="named">{esc(clause.text)}</span> <span class="def">({esc(definition.text)})</span>'
        what, parts = (("which means:", (definition,)) if definition.named
                       else (f"which means {definition.text}", definition.parts))
        return (f'<details class="concept"{" open" if unfold else ""}><summary><span class="named">'
                f'{esc(clause.text)}</span></summary><span class="def">{esc(what)}</span>'
                f'<ul class="cond">{"".join(_clause_li(p, unfold) for p in parts)}</ul></details>')
    if not clause.parts:
        return esc(clause.text)
    return (f'<span class="op">{esc(clause.text)}</span>'
            f'<ul class="cond">{"".join(_clause_li(p, unfold) for p in clause.parts)}</ul>')


def case_text(case: Case) -> str:
    """An example case as written, ``Sex: female · Age: 80``; ``a case with nothing known`` if empty."""
    parts = [f"{field_label(k)}: {value_text(v)}" for k, v in case.model_dump(exclude_unset=True).items()]
    return " \u00b7 ".join(parts) if parts else "a case with nothing known"


def page_html(title: str, kind: str, body: str, about: str) -> str:
    """A whole page: header (home link and ``about``, the knowledge's name and version), the
    disclaimer once, the kind of entry, the title and ``body`` (HTML)."""
    crumb = f'<span class="kind">{esc(KIND_WORDS[kind])}</span>' if kind else ""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, '
        f'initial-scale=1"><title>{esc(title)} \u2014 bonemets knowledge reference</title>'
        f"<style>{CSS}</style></head><body>"
        '<header><a class="home" href="index.html">bonemets knowledge reference</a>'
        f'<span class="version">{esc(about)}</span></header>'
        f'<p class="disclaimer">{esc(DISCLAIMER)}</p>'
        f"<main>{crumb}<h1>{esc(title)}</h1>{body}</main></body></html>\n")
