"""Validated clinical scores and dosing rules, each returning a :class:`ScoreResult`.

Every function cites its sources by id (``data/knowledge/sources/scores.yaml``) and states the
choice it makes where sources disagree. Educational use only: not a diagnostic device.

Scalar functions check their arguments and return a :class:`ScoreResult`:
:func:`corrected_calcium`, :func:`creatinine_clearance`, :func:`zoledronic_acid_dose`,
:func:`mirels`, :func:`sins` (with :func:`spinal_location`) and :func:`tokuhashi`.

Array cores (floats or numpy arrays in, NaN propagating, no checks) hold the formulas:
:func:`corrected_calcium_si`, :func:`corrected_calcium_conventional` and
:func:`cockcroft_gault_ml_min`. :func:`round_half_up` is the rounding rule used before band
edges, and :func:`crcl_band` the creatinine-clearance banding.

The point tables, bands, dose bands and grade limits are data (``data/scores``), read and
validated once by :mod:`bonemets.scores.tables`. :class:`ScoreInputError` lives in
:mod:`bonemets.exceptions` and is importable from here too.
"""

from __future__ import annotations

from ..exceptions import ScoreInputError
from ._result import ScoreResult
from ._validate import round_half_up
from .calcium import corrected_calcium, corrected_calcium_conventional, corrected_calcium_si
from .mirels import mirels
from .renal import cockcroft_gault_ml_min, crcl_band, creatinine_clearance
from .spine import sins, spinal_location, tokuhashi
from .zoledronic_acid import zoledronic_acid_dose

__all__ = [
    "ScoreInputError",
    "ScoreResult",
    "cockcroft_gault_ml_min",
    "corrected_calcium",
    "corrected_calcium_conventional",
    "corrected_calcium_si",
    "crcl_band",
    "creatinine_clearance",
    "mirels",
    "round_half_up",
    "sins",
    "spinal_location",
    "tokuhashi",
    "zoledronic_acid_dose",
]
