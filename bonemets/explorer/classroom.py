"""Class mode: the class predicts each treatment family's status, then the explorer reveals it.

Plain data and HTML, no widgets (the prediction pickers are in :mod:`.layout`, the state in
:mod:`.app`).

>>> import bonemets
>>> a = bonemets.assess(bonemets.teaching_cases()["hr_positive_postmenopausal"])
>>> s = score(a, {"endocrine_therapy": "recommended", "chemotherapy": "recommended"})
>>> {v.family.id: v.right for v in s.verdicts if v.predicted}, s.right
({'endocrine_therapy': True, 'chemotherapy': False}, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..views import STATUS_LABELS, by_family, reason_lines
from .render import esc, status_badge, why_html

if TYPE_CHECKING:  # pragma: no cover
    from ..assessment import Assessment, Recommendation


@dataclass(frozen=True)
class Verdict:
    """One family: what the class said (None: no answer) and what the assessment says."""

    family: Recommendation
    predicted: str | None

    @property
    def right(self) -> bool:
        return self.predicted == self.family.status


@dataclass(frozen=True)
class Score:
    """The class's predictions against the assessment, family by family (report order)."""

    verdicts: tuple[Verdict, ...]

    @property
    def right(self) -> int:
        return sum(v.right for v in self.verdicts)

    @property
    def total(self) -> int:
        return len(self.verdicts)

    def text(self) -> str:
        """``Score: 9 of 13 families right (2 without an answer)``."""
        blank = sum(v.predicted is None for v in self.verdicts)
        return (f"Score: {self.right} of {self.total} families right"
                + (f" ({blank} without an answer)" if blank else ""))


def score(a: Assessment, predictions: Mapping[str, str | None]) -> Score:
    """Score predicted family statuses (family id to a status id, or None for no answer)."""
    return Score(tuple(Verdict(f, predictions.get(f.id)) for f, _ in by_family(a)))


def family_line_html(f: Recommendation, options: list[Recommendation]) -> str:
    """A family as the class sees it before the reveal: its name and its options, no status."""
    names = ", ".join(o.name for o in options)
    return (f'<div class="bm-class-name" data-family="{esc(f.id)}"><b>{esc(f.name)}</b>'
            + (f'<div class="bm-muted">{esc(names)}</div>' if names else "") + "</div>")


def verdict_html(v: Verdict, a: Assessment) -> str:
    """After the reveal: right or wrong, the status, and why (with its sources one click away)."""
    said = STATUS_LABELS[v.predicted] if v.predicted else "no answer"
    mark = ('<span class="bm-verdict-right">\u2713 right</span>' if v.right
            else f'<span class="bm-verdict-wrong">\u2717 the class said {esc(said)}</span>')
    r = v.family
    return (f'<div class="bm-verdict" data-family="{esc(r.id)}" data-status="{esc(r.status)}" '
            f'data-right="{str(v.right).lower()}">{status_badge(r.status)} {mark}'
            + why_html(reason_lines(r, a.knowledge), r.sources) + "</div>")


def score_html(s: Score | None) -> str:
    """The score line (empty before the reveal)."""
    if s is None:
        return ('<div class="bm-class-score bm-muted" data-score="">Predict each family\'s status, '
                "then press Reveal.</div>")
    return f'<div class="bm-class-score" data-score="{s.right}/{s.total}">{esc(s.text())}</div>'


#: What class mode is, above the predictions.
INTRO = ('<div class="bm-class-intro"><b>Class mode.</b> The statuses are hidden. Read the case and the '
         "alerts, predict each treatment family's status, then press <b>Reveal</b> to see the answers, "
         "why, and the class's score.</div>")
