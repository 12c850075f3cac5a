"""bonemets: which treatment families and tests apply to a case of bone metastases, how
strongly, why, and on what source.

An educational and research tool, not a medical device: it does not diagnose or prescribe.

>>> import bonemets
>>> a = bonemets.assess({"primary": "breast", "er": "positive", "her2": "unknown"})
>>> a.status("her2_targeted"), a.status("receptor_retest")
('undetermined', 'recommended')
"""

from __future__ import annotations

from types import ModuleType

from . import scores
from .advice import advice_for
from .assessment import Alert, Assessment, Citation, Fact, Reason, Recommendation
from .case import FIELDS, Case, load_case
from .cases import TeachingCase, load_teaching_case, teaching_cases, teaching_library
from .columns import cases_frame
from .exceptions import BonemetsError, InvalidCaseError, KnowledgeError
from .knowledge import KnowledgeBase, knowledge, load_knowledge
from .pipeline import ALERT_DTYPE, STATUS_DTYPE, assess, assess_cohort, cohort_errors
from .vocabulary import ALERT_STATES, DISCLAIMER, STATUSES, URGENCIES
from .witnesses import Witness, witnesses

__version__ = "0.1.0"

#: Submodules imported on first use (they pull in plotly, ipywidgets, dask or lifelines).
_LAZY = ("batch", "cohort", "datasets", "explorer", "figures", "report")


def __getattr__(name: str) -> ModuleType:
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'bonemets' has no attribute '{name}'")

# The lazy submodules are reached as attributes (``bonemets.figures``), never by ``import *``.
__all__ = [
    "ALERT_DTYPE",
    "ALERT_STATES",
    "DISCLAIMER",
    "FIELDS",
    "STATUSES",
    "STATUS_DTYPE",
    "URGENCIES",
    "Alert",
    "Assessment",
    "BonemetsError",
    "Case",
    "Citation",
    "Fact",
    "InvalidCaseError",
    "KnowledgeBase",
    "KnowledgeError",
    "Reason",
    "Recommendation",
    "TeachingCase",
    "Witness",
    "advice_for",
    "assess",
    "assess_cohort",
    "cases_frame",
    "cohort_errors",
    "knowledge",
    "load_case",
    "load_knowledge",
    "load_teaching_case",
    "scores",
    "teaching_cases",
    "teaching_library",
    "witnesses",
]
