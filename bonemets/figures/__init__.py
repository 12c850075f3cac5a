"""Figures of an assessment and of a cohort: thin functions that return plotly figures.

Every function takes what was already assessed (an :class:`~bonemets.Assessment` from
:func:`bonemets.assess`, or the frame :func:`bonemets.assess_cohort` returns) and options, and
returns a :class:`plotly.graph_objects.Figure`; nothing is drawn or saved as a side effect, and
no rule is evaluated here. The skeleton map draws case fields only, so it also takes a case;
:func:`kaplan_meier` draws follow-up columns of a cohort. Every figure's subtitle says it is an
educational tool, not a medical device. Words, colours and marks per status come from
:mod:`bonemets.views` (:data:`STATUS_COLOURS` is colour-blind safe, in the order of
:data:`bonemets.STATUSES`).

>>> import bonemets
>>> from bonemets.figures import skeleton_map
>>> fig = skeleton_map(bonemets.teaching_cases()["her2_positive"])
>>> sorted(fig.data[0].customdata)
['pelvis', 'ribs', 'spine']
"""

from __future__ import annotations

from ..views import STATUS_COLOURS, STATUS_MARKS
from ._common import NOTE, static_images, status_legend, svg_image
from .cohort import SUBTYPES, breast_subtype, cohort_summary, status_counts
from .matrix import applicability_matrix
from .sankey import decision_sankey
from .skeleton import BONE_SITES, SITE_COLOURS, skeleton_map
from .survival import kaplan_meier
from .timeline import NO_SCHEDULE, dose_weeks, schedule_timeline

__all__ = [
    "BONE_SITES",
    "NOTE",
    "NO_SCHEDULE",
    "SITE_COLOURS",
    "STATUS_COLOURS",
    "STATUS_MARKS",
    "SUBTYPES",
    "applicability_matrix",
    "breast_subtype",
    "cohort_summary",
    "decision_sankey",
    "dose_weeks",
    "kaplan_meier",
    "schedule_timeline",
    "skeleton_map",
    "static_images",
    "status_counts",
    "status_legend",
    "svg_image",
]
