"""A Dask DataFrame assessed partition by partition through the pandas path.

Workers load the shipped knowledge themselves (cached per process); a custom knowledge base
travels with the task. Errors surface when the result is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from .knowledge import KnowledgeBase, knowledge

AssessFrame = Callable[..., Any]


def assess_dask(frame: Any, assess_frame: AssessFrame, frame_errors: Callable[..., pd.DataFrame], *, errors: str,
                passthrough: list[str], urgency: bool, kb: KnowledgeBase | None) -> Any:
    """Assess a Dask DataFrame with ``assess_frame`` (:func:`bonemets.assess_cohort`) on each partition.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
    assess_frame, frame_errors : callable
        The pandas path and its error table (:func:`bonemets.cohort_errors`), passed in so this
        module does not import the pipeline that imports it.
    errors, passthrough, urgency, kb
        As for :func:`bonemets.assess_cohort`.

    Returns
    -------
    dask.dataframe.DataFrame or (dask.dataframe.DataFrame, dask.dataframe.DataFrame)
    """
    ship = None if kb is None or kb is knowledge() else kb
    options: dict[str, Any] = dict(passthrough=passthrough, urgency=urgency, kb=ship)
    meta = assess_frame(frame._meta, **options)
    if errors == "raise":
        return frame.map_partitions(assess_frame, **options, meta=meta)
    valid = frame.map_partitions(_valid_rows, assess_frame, **options, meta=meta)
    table = frame.map_partitions(frame_errors, kb=ship, meta=frame_errors(frame._meta, kb=ship))
    return valid, table


def _valid_rows(frame: pd.DataFrame, assess_frame: AssessFrame, **options: Any) -> pd.DataFrame:
    return assess_frame(frame, errors="report", **options)[0]
