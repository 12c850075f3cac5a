"""A browsable reference of the knowledge base: static HTML pages that open offline.

:func:`write_reference` writes an index with a search box, and one page per treatment family,
option, test, alert, rule and source. An item's page says which statuses it can get and from
which rules (and its default); a rule's page gives its condition in words, its reason, its worked
examples and its full citations; a source's page lists every rule and item that cites it. Pages
link both ways (item -> rules -> sources, and back), use relative links only, and carry their
CSS and script inline, so the directory opens from ``file://`` with no network. All text is
escaped with :func:`html.escape`; only ``http(s)`` addresses become links.

Build it with ``bonemets knowledge --html DIR`` or :func:`write_reference`; see
``docs/knowledge-reference.md``. The modules: :mod:`~bonemets.reference.writer` (to disk),
:mod:`~bonemets.reference.index` (the index, and every page), :mod:`~bonemets.reference.pages`
(entry pages), :mod:`~bonemets.reference.site` (the knowledge indexed both ways),
:mod:`~bonemets.reference.parts` (escaping, links, badges, the page frame) and
:mod:`~bonemets.reference.assets` (style and script).

>>> import bonemets
>>> from bonemets.reference import reference_pages
>>> pages = reference_pages(bonemets.knowledge())
>>> "Creatinine clearance (mL/min): below 30" in pages["rule-low_clearance_avoid_iv_bisphosphonate.html"]
True
"""

from __future__ import annotations

from .index import reference_pages
from .writer import MARKER, write_reference

__all__ = ["MARKER", "reference_pages", "write_reference"]
