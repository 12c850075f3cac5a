"""How the explorer orders an assessment for a class: treatments by family, tests by purpose.

Plain data, no HTML: :mod:`.render` draws it, :mod:`.classroom` scores predictions of it. What a
test is for comes from :func:`bonemets.views.test_purpose`, shared with the text report and the
handout.

>>> import bonemets
>>> a = bonemets.assess(bonemets.teaching_cases()["hr_positive_postmenopausal"])
>>> [o.id for o in families(a)[1].options]
['bisphosphonate_iv', 'bisphosphonate_oral', 'denosumab']
>>> [r.id for r in by_purpose(a)["before"]]
['blood_calcium', 'kidney_function', 'vitamin_d', 'dental_check']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..views import TEST_PURPOSES, test_purpose

if TYPE_CHECKING:  # pragma: no cover
    from ..assessment import Assessment, Recommendation


@dataclass(frozen=True)
class FamilyView:
    """A treatment family as the explorer shows it: its own status, then its options."""

    family: Recommendation
    options: tuple[Recommendation, ...]

    @property
    def id(self) -> str:
        return self.family.id


def families(a: Assessment) -> list[FamilyView]:
    """Every treatment family of the assessment with its options, in report order."""
    options: dict[str, list[Recommendation]] = {}
    for r in a.recommendations:
        if r.kind == "option" and r.family:
            options.setdefault(r.family, []).append(r)
    return [FamilyView(r, tuple(options.get(r.id, ()))) for r in a.recommendations if r.kind == "family"]


def by_purpose(a: Assessment) -> dict[str, list[Recommendation]]:
    """The tests of an assessment under each purpose of :data:`bonemets.views.TEST_PURPOSES`
    (every purpose listed, perhaps empty), in report order."""
    groups: dict[str, list[Recommendation]] = {p: [] for p in TEST_PURPOSES}
    for r in a.recommendations:
        if r.kind == "test":
            groups[test_purpose(r, a.knowledge)].append(r)
    return groups
