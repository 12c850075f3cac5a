"""The pipeline, top to bottom, for one case or a cohort:

case → validation of fields (:class:`~bonemets.Case`, or per cell for a frame) → columns, once
(:func:`~bonemets.columns.encode_case` or :func:`~bonemets.columns.encode`) → consistency against
the knowledge base in use
(:mod:`bonemets.consistency`) → rule values and decisions (:mod:`bonemets.evaluation`) →
explanation (:mod:`bonemets.explanation`, one case) → views (:class:`~bonemets.Assessment`'s
``to_*`` methods, :mod:`bonemets.render`, :mod:`bonemets.report`, :mod:`bonemets.figures`).

:func:`assess` is this pipeline on one row plus the explanation of that row;
:func:`assess_cohort` encodes a frame once and evaluates it in chunks of rows (bounded memory),
or runs on each partition of a Dask DataFrame.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from .assessment import Assessment
from .case import FIELDS, Case, suggest
from .columns import Columns, encode, encode_case
from .consistency import contradictions
from .evaluation import evaluate, plan
from .exceptions import InvalidCaseError
from .explanation import explain_alerts, explain_items, implied_facts
from .knowledge import KnowledgeBase, knowledge
from .lookup import byte_table, lookup
from .messages import shown
from .pending import check_tests, named_tests
from .questions import questions
from .score_ranges import score_ranges
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

#: The dtype of every status column of :func:`assess_cohort` (ordered, most favourable first).
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES), ordered=True)
#: The dtype of every alert column of :func:`assess_cohort` (ordered, most severe first).
ALERT_DTYPE = pd.CategoricalDtype(list(ALERT_STATES), ordered=True)
#: The dtype of every ``<id>:urgency`` column of :func:`assess_cohort`.
URGENCY_DTYPE = pd.CategoricalDtype(list(URGENCIES), ordered=True)
#: Columns of the error table of ``assess_cohort(..., errors="report")`` and :func:`cohort_errors`.
ERROR_COLUMNS = ["row", "column", "value", "allowed"]

Problem = tuple[int, str, Any, str]


def assess(case: Case | Mapping[str, Any], kb: KnowledgeBase | None = None) -> Assessment:
    """Assess one case: which treatment families, options and tests apply, why, on what source.

    Parameters
    ----------
    case : Case or dict
        A dict is validated as ``Case.model_validate(case)``.
    kb : KnowledgeBase, optional
        Defaults to :func:`~bonemets.knowledge`. Contradictions are checked against it.

    Returns
    -------
    Assessment

    Raises
    ------
    InvalidCaseError
        A field is not allowed, or two fields contradict each other (naming both).
    """
    kb = kb or knowledge()
    if not isinstance(case, Case):
        case = Case.model_validate(dict(case))
    ev = evaluate(encode_case(case.engine_record()), kb, urgency=True)
    for _, message, fields in contradictions(ev):
        raise InvalidCaseError(message, fields=fields)
    return Assessment(case=case, statuses=dict(zip(ev.items, (STATUSES[c] for c in ev.status[:, 0].tolist()),
                                                   strict=True)),
                      alerts=explain_alerts(ev, 0), knowledge_version=kb.version, knowledge=kb,
                      alert_states={a: ALERT_STATES[int(codes[0])] for a, codes in ev.alerts.items()},
                      _explain=functools.partial(explain_items, ev, 0), _ask=functools.partial(questions, ev),
                      _imply=functools.partial(implied_facts, ev, 0), _score=functools.partial(score_ranges, ev, 0))


@overload
def assess_cohort(frame: pd.DataFrame, *, errors: Literal["raise"] = ..., passthrough: Iterable[str] = ...,
                  urgency: bool = ..., kb: KnowledgeBase | None = ...) -> pd.DataFrame: ...
@overload
def assess_cohort(frame: pd.DataFrame, *, errors: Literal["report"], passthrough: Iterable[str] = ...,
                  urgency: bool = ..., kb: KnowledgeBase | None = ...) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def assess_cohort(frame: Any, *, errors: str = "raise", passthrough: Iterable[str] = (), urgency: bool = False,
                  kb: KnowledgeBase | None = None) -> Any:
    """Assess every row of a frame of cases, vectorised.

    Parameters
    ----------
    frame : pandas.DataFrame or dask.dataframe.DataFrame
        Columns named after :class:`~bonemets.Case` fields (absent columns are unknown on
        every row). List fields hold lists or ``;``-separated strings (``""`` or ``"[]"`` for
        an empty list). Categorical columns are fastest. A Dask DataFrame is assessed
        partition by partition through the same pandas path.
    errors : {'raise', 'report'}
        ``raise``: the first invalid row raises :class:`~bonemets.InvalidCaseError` naming the
        row, column, value and the values allowed. ``report``: return the assessments of the
        valid rows and a table of every invalid cell or contradiction.
    passthrough : iterable of str
        Other columns (ids, outcomes) to copy into the result. Any other column that is not a
        case field is an error: nothing given is silently dropped.
    urgency : bool
        Also return a ``<id>:urgency`` column per item.
    kb : KnowledgeBase, optional
        Defaults to :func:`~bonemets.knowledge`.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The input index; one categorical status column per family, option and test id; one
        ``alert:<id>`` column per alert (``critical`` … ``not_raised``); one ``<id>:pending``
        column per item that can have a pending safety check: the tests that settle its pending
        checks, ``;``-joined, ``""`` where none is pending (filter with
        ``out["bisphosphonate_iv:pending"].str.contains("kidney_function")``). With
        ``errors="report"`` also the error table (``row``, ``column``, ``value``, ``allowed``).
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors={errors!r} is not allowed; allowed: raise, report")
    keep = list(passthrough)
    _check_columns(frame.columns, keep)
    if _is_dask(frame):
        from .dask_cohort import assess_dask

        return assess_dask(frame, assess_cohort, cohort_errors, errors=errors, passthrough=keep,
                           urgency=urgency, kb=kb)
    kb = kb or knowledge()
    p = plan(kb)
    cols = encode(frame)
    status, urgencies, alerts, pending, found = _evaluate_frame(cols, kb, urgency)
    problems = _problems(cols, found)
    if problems and errors == "raise":
        _raise(frame.index, problems[0])
    out = _frame(p.items, status, urgencies, p.alert_ids, alerts, frame.index)
    tests = check_tests(kb).tests
    for position, codes in pending.items():
        out[f"{p.items[position]}:pending"] = _pending_column(tests, codes)
    for col in keep:
        out[col] = frame[col].to_numpy()
    if errors == "raise":
        return out
    valid = np.ones(len(frame), dtype=bool)
    valid[[position for position, *_ in problems]] = False
    return out[valid], _error_table(frame.index, problems)


def cohort_errors(frame: pd.DataFrame, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Every invalid cell and contradiction of a frame of cases, without assessing it.

    Parameters
    ----------
    frame : pandas.DataFrame
    kb : KnowledgeBase, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (the index label), ``column`` (for a contradiction, the fields joined
        by commas), ``value`` (None for a contradiction) and ``allowed`` (the values allowed,
        or the contradiction's message); empty when every row is valid.
    """
    cols = encode(frame)
    *_, found = _evaluate_frame(cols, kb or knowledge(), urgency=False)
    return _error_table(frame.index, _problems(cols, found))


def _evaluate_frame(cols: Columns, kb: KnowledgeBase, urgency: bool) -> tuple[
        np.ndarray, np.ndarray | None, np.ndarray, dict[int, np.ndarray], list[Problem]]:
    """Status, urgency (if asked), alert codes and the tests pending checks name (a mask over
    ``check_tests(kb).tests`` per item that can have them) of every row, evaluated a chunk at a
    time, and the contradictions found."""
    p = plan(kb)
    status = np.empty((len(p.items), cols.n), dtype=np.int8)
    urgencies = np.empty_like(status) if urgency else None
    alerts = np.empty((len(p.alert_ids), cols.n), dtype=np.int8)
    dtype = np.min_scalar_type((1 << len(check_tests(kb).tests)) - 1)
    pending = {position: np.empty(cols.n, dtype=dtype) for position in _pending_items(kb)}
    found: list[Problem] = []
    for start, chunk in cols.chunks():
        stop = start + chunk.n
        ev = evaluate(chunk, kb, urgency=urgency, out=status[:, start:stop])
        for position, masks in ev.pending.items():
            named_tests(masks, ev.named, out=pending[position][start:stop])
        if urgencies is not None and ev.urgency is not None:
            urgencies[:, start:stop] = ev.urgency
        for i, alert_id in enumerate(p.alert_ids):
            alerts[i, start:stop] = ev.alerts[alert_id]
        found += [(pos, ",".join(fields), None, message) for pos, message, fields in contradictions(ev, start)]
    return status, urgencies, alerts, pending, found


@functools.lru_cache(maxsize=16)
def _pending_items(kb: KnowledgeBase) -> tuple[int, ...]:
    """The positions in ``plan(kb).items`` of the items that can have pending checks (the keys of
    :attr:`~bonemets.evaluation.Evaluation.pending`): options with a safety check and the
    families of such options."""
    p = plan(kb)
    possible = list(p.check_masks)  # the options in the plan's order, then their families
    return (*possible, *(family for family, members in p.families if set(possible) & set(members.tolist())))


def _pending_column(tests: tuple[str, ...], codes: np.ndarray) -> Any:
    """Test masks (bit ``j`` is ``tests[j]``) as the tests ``;``-joined in alphabetical order
    (``""`` where none is pending); the categories are ``""`` and then the others in the order
    they first occur."""
    if codes.dtype == np.uint8:  # up to 8 tests: a table of every code, read a byte at a time
        raw = codes.tobytes()
        first = {code: raw.find(bytes([code])) for code in range(1 << len(tests))}
        present = sorted((at, code) for code, at in first.items() if code and at >= 0)
        remap = np.zeros(1 << len(tests), dtype=np.int8 if len(present) < 128 else np.int16)
        remap[[code for _, code in present]] = np.arange(1, len(present) + 1)
        values = lookup(byte_table(remap), codes) if len(remap) <= 128 else remap[codes]
    else:  # wider codes: only those present (a table of every code could be 2**32 long)
        uniques, at, inverse = np.unique(codes, return_index=True, return_inverse=True)
        present = sorted((int(a), int(code)) for code, a in zip(uniques, at, strict=True) if code)
        position = {code: k for k, (_, code) in enumerate(present, start=1)}
        values = np.array([position.get(int(u), 0) for u in uniques], dtype=np.int32)[inverse]
    categories = ["", *(";".join(sorted(t for j, t in enumerate(tests) if code >> j & 1)) for _, code in present)]
    return pd.Categorical.from_codes(values, dtype=pd.CategoricalDtype(categories), validate=False)


def _problems(cols: Columns, contradicting: list[Problem]) -> list[Problem]:
    """Invalid cells and contradictions, by row position, in row order."""
    return sorted([(e.position, e.column, e.value, e.allowed) for e in cols.errors] + contradicting,
                  key=lambda p: p[0])


def _raise(index: pd.Index, problem: Problem) -> None:
    pos, column, value, allowed = problem
    label = _plain(index[pos])
    if value is None and "contradict" in allowed:
        raise InvalidCaseError(f"row {shown(label)}: {allowed}", fields=tuple(column.split(",")), row=label)
    raise InvalidCaseError(f"row {shown(label)}: {column}={shown(_plain(value))} is not allowed; allowed: {allowed}",
                           fields=(column,), row=label)


def _error_table(index: pd.Index, problems: list[Problem]) -> pd.DataFrame:
    rows = [{"row": _plain(index[p]), "column": c, "value": _plain(v), "allowed": a} for p, c, v, a in problems]
    return pd.DataFrame(rows, columns=ERROR_COLUMNS).astype({"column": object, "value": object, "allowed": object})


def _plain(label: Any) -> Any:
    """A numpy scalar (an index label, a cell) as a plain Python value (for messages and tables)."""
    return label.item() if isinstance(label, np.generic) else label


def _check_columns(columns: Iterable[Any], passthrough: list[str]) -> None:
    names = list(columns)
    for col in names:
        if col not in FIELDS and col not in passthrough:
            name = shown(str(col))
            raise InvalidCaseError(f"column {name} is not a case field{suggest(str(col), FIELDS)}; to keep "
                                   f"it, pass passthrough=[{name}] (command line: --keep {name})",
                                   fields=(str(col),))
    missing = [c for c in passthrough if c not in names]
    if missing:
        raise InvalidCaseError(f"passthrough column {shown(missing[0])} is not in the frame"
                               + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
                               fields=(str(missing[0]),))


def _is_dask(frame: Any) -> bool:
    return type(frame).__module__.split(".")[0] in ("dask", "dask_expr")


def _frame(items: tuple[str, ...], status: np.ndarray, urgencies: np.ndarray | None, alert_ids: tuple[str, ...],
           alerts: np.ndarray, index: pd.Index) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for i, item_id in enumerate(items):
        data[item_id] = pd.Categorical.from_codes(status[i], dtype=STATUS_DTYPE, validate=False)
        if urgencies is not None:
            data[f"{item_id}:urgency"] = pd.Categorical.from_codes(urgencies[i], dtype=URGENCY_DTYPE, validate=False)
    for i, alert_id in enumerate(alert_ids):
        data[f"alert:{alert_id}"] = pd.Categorical.from_codes(alerts[i], dtype=ALERT_DTYPE, validate=False)
    return pd.DataFrame(data, index=index, copy=False)
