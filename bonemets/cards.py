"""CDS Hooks cards (HL7 CDS Hooks ``Card``) for an assessment."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .views import STATUS_LABELS, TOP_QUESTIONS, URGENCY_LABELS, pending_text, question_text, reason_lines

if TYPE_CHECKING:  # pragma: no cover
    from .assessment import Alert, Assessment, Recommendation
    from .knowledge import KnowledgeBase

#: How each status shows as a card indicator; ``not_indicated`` makes no card.
INDICATOR = {"recommended": "info", "consider": "info", "undetermined": "warning", "avoid": "warning"}
SOURCE_LABEL = "bonemets knowledge base (educational)"
_KINDS = {"family": "treatment family", "option": "treatment", "test": "test"}


def stable_uuid(*parts: str) -> str:
    """A UUID that is the same for the same parts (cards stay stable across runs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "bonemets:" + ":".join(parts)))


def _summary(text: str) -> str:
    return text if len(text) < 140 else text[:136].rstrip() + "..."


def _detail(part: Recommendation | Alert, kb: KnowledgeBase | None, disclaimer: str,
            extra: Sequence[str] = ()) -> str:
    lines = list(extra)
    lines += ["**Why**", *[f"- {text}" for text in reason_lines(part, kb)], "", "**Sources**"]
    lines += [f"- {c.text()}" + (f" — \u201c{c.excerpt}\u201d" if c.excerpt else "") for c in part.sources]
    lines += ["", f"_{disclaimer}_"]
    return "\n".join(lines)


def cards(assessment: Assessment) -> list[dict[str, Any]]:
    """See :meth:`bonemets.Assessment.to_cards`."""
    key = assessment.case.model_dump_json(exclude_none=True)
    out: list[dict[str, Any]] = []
    for a in assessment.alerts:
        extra = ["**Actions**", *[f"- {x}" for x in a.actions], ""]
        out.append({
            "uuid": stable_uuid(key, "alert", a.id),
            "summary": _summary(f"{a.name}: {a.summary}"),
            "indicator": a.level,
            "detail": _detail(a, assessment.knowledge, assessment.disclaimer, extra),
            "source": {"label": SOURCE_LABEL, "topic": {"code": a.id, "display": a.name}},
        })
    for q in assessment.questions[:TOP_QUESTIONS]:
        out.append({
            "uuid": stable_uuid(key, "question", q.field),
            "summary": _summary(f"Ask: {q.text}"),
            "indicator": "warning" if q.critical else "info",
            "detail": "\n".join([question_text(q, assessment.knowledge), "", f"_{assessment.disclaimer}_"]),
            "source": {"label": SOURCE_LABEL, "topic": {"code": q.field, "display": q.text}},
        })
    for r in assessment.recommendations:
        if r.status not in INDICATOR:
            continue
        pending = ["**Pending checks**", *[f"- {pending_text(p, assessment.knowledge)}" for p in r.pending], ""]
        urgency = f" ({URGENCY_LABELS[r.urgency]})" if r.urgency != "routine" else ""
        out.append({
            "uuid": stable_uuid(key, r.kind, r.id),
            "summary": _summary(f"{STATUS_LABELS[r.status].capitalize()}{urgency}: {r.name} ({_KINDS[r.kind]})"),
            "indicator": "critical" if r.urgency == "emergency" else INDICATOR[r.status],
            "detail": _detail(r, assessment.knowledge, assessment.disclaimer, pending if r.pending else ()),
            "source": {"label": SOURCE_LABEL, "topic": {"code": r.id, "display": r.name}},
        })
    return out
