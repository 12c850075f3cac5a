"""Patient advice: the supportive advice (``data/knowledge/advice.yaml``) that applies to an assessment.

Each piece of advice applies always, or with the families, options, tests or alerts it names:
when any of them is recommended or to be considered, or (an alert) raised. An item whose
status is undetermined does not bring its advice: the advice waits until the item is decided.

>>> import bonemets
>>> a = bonemets.assess({"primary": "breast", "bone_sites": ["spine"]})
>>> "informed_consent" in [x.id for x in bonemets.advice_for(a)]
True
"""

from __future__ import annotations

from .assessment import Assessment
from .knowledge import KnowledgeBase, knowledge
from .knowledge_models import Advice

__all__ = ["ALWAYS", "APPLYING_STATUSES", "advice_for"]

#: The word in ``applies`` for advice that applies to every assessment.
ALWAYS = "always"
#: The statuses of an item that bring the advice tied to it.
APPLYING_STATUSES = ("recommended", "consider")


def advice_for(assessment: Assessment, kb: KnowledgeBase | None = None) -> list[Advice]:
    """The active advice that applies to an assessment, in file order.

    Parameters
    ----------
    assessment : Assessment
    kb : KnowledgeBase, optional
        The knowledge to read the advice from; by default the one the assessment was made
        with (else the shipped knowledge).

    Returns
    -------
    list of Advice
        Active advice (draft advice too if the knowledge includes drafts) that applies always,
        or is tied to an item that is recommended or to be considered, or to an alert that is
        raised.
    """
    kb = kb or assessment.knowledge or knowledge()
    raised = {a.id for a in assessment.alerts}
    live = ("active", "draft") if kb.include_drafts else ("active",)
    return [a for a in kb.advice.values() if a.status in live and _applies(a, assessment, raised)]


def _applies(advice: Advice, assessment: Assessment, raised: set[str]) -> bool:
    return any(i == ALWAYS or i in raised or assessment.statuses.get(i) in APPLYING_STATUSES
               for i in advice.applies)
