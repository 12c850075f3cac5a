"""The engine: evaluates the knowledge base on a frame of cases, once, for one case or many.

How a status is decided, for each treatment option, test, or family without options:

1. Every rule for the item is evaluated with Kleene logic: true, false or unknown per case.
2. If an ``avoid`` rule is true, the status is ``avoid`` (a real reason to withhold wins).
3. Otherwise the status is the most favourable status given by a true rule, or the item's
   ``default_status`` when no rule is true.
4. If a rule whose value is unknown could change that answer (a more favourable status than
   the true rules give; any other status than the default when none is true; or ``avoid``
   where the answer is recommended or consider), the status is ``undetermined`` and the
   reasons name the unknown factors and the tests that would settle them.

A family with options takes the most favourable status of its options. An alert is raised at
the most severe level of its true rules; if none is true and one is unknown it is
``undetermined``; otherwise ``not_raised``.

:func:`assess` is :func:`assess_cohort` on a one-row frame plus the reasons for that row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, reduce
from typing import Any, Iterable, Literal, Mapping, overload

import numpy as np
import pandas as pd

from .assessment import Alert, Assessment, Citation, Fact, Reason, Recommendation
from .case import FIELDS, Case, suggest
from .columns import DERIVED, Columns, encode, one_row
from .conditions import Node
from .exceptions import InvalidCaseError
from .knowledge import CompiledRule, KnowledgeBase, Option, knowledge
from .logic import Tri
from .scores import ScoreInputError, zoledronic_acid_dose
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

_UNDETERMINED = np.int8(STATUSES.index("undetermined"))
_AVOID = np.int8(STATUSES.index("avoid"))

#: The dtype of every status column of :func:`assess_cohort` (ordered, most favourable first).
STATUS_DTYPE = pd.CategoricalDtype(STATUSES, ordered=True)
#: The dtype of every alert column of :func:`assess_cohort` (ordered, most severe first).
ALERT_DTYPE = pd.CategoricalDtype(ALERT_STATES, ordered=True)
URGENCY_DTYPE = pd.CategoricalDtype(URGENCIES, ordered=True)


@dataclass
class Evaluation:
    """Everything the engine computed for a frame of cases.

    Attributes
    ----------
    kb : KnowledgeBase
    cols : Columns
    values : dict of str to Tri
        Each active rule's condition on every row, by rule id.
    status, urgency : dict of str to ndarray
        Per item id, int8 codes into ``STATUSES`` and ``URGENCIES``.
    alerts : dict of str to ndarray
        Per alert id, int8 codes into ``ALERT_STATES``.
    """

    kb: KnowledgeBase
    cols: Columns
    values: dict[str, Tri]
    status: dict[str, np.ndarray]
    urgency: dict[str, np.ndarray]
    alerts: dict[str, np.ndarray]

    def rules_for(self, target: str) -> list[CompiledRule]:
        return self.kb.rules_for(target)


def evaluate(cols: Columns, kb: KnowledgeBase) -> Evaluation:
    """Evaluate every rule, item and alert on encoded columns (see the module docstring)."""
    cache: dict[str, Tri] = {}
    values = {r.rule.id: r.condition.evaluate(cols, cache) for r in kb.rules}
    ev = Evaluation(kb, cols, values, {}, {}, {})
    items = kb.items()
    for item_id, item in items.items():
        if item_id in kb.families and kb.options_of(item_id):
            continue
        ev.status[item_id], ev.urgency[item_id] = _resolve(
            kb.rules_for(item_id), values, cols.n, np.int8(STATUSES.index(item.default_status)))
    for fam in kb.families:
        options = kb.options_of(fam)
        if fam in items and options:
            status = reduce(np.minimum, (ev.status[o] for o in options))
            ev.status[fam] = status
            ev.urgency[fam] = reduce(np.maximum, (np.where(ev.status[o] == status, ev.urgency[o], 0)
                                                  for o in options)).astype(np.int8)
    for alert_id, alert in kb.alerts.items():
        if alert.active:
            ev.alerts[alert_id] = _alert_state(kb.rules_for(alert_id), values, cols.n)
    return ev


def decide(true: Iterable[int], unknown: Iterable[int], default: int) -> int:
    """The status of one item on one case, from the status codes its rules give.

    This is the decision rule of the module docstring, written once for one case.

    Parameters
    ----------
    true, unknown : iterable of int
        Codes (indices into ``STATUSES``) given by the rules that hold, and by those that
        are unknown, on this case.
    default : int
        The item's default status code.

    Returns
    -------
    int
        The status code.
    """
    true, unknown = set(true), set(unknown)
    if _AVOID in true:
        return int(_AVOID)
    best = min(true, default=None)
    result = default if best is None else best
    for code in unknown:
        if code == _AVOID:
            changes = result < _UNDETERMINED
        elif best is None:
            changes = code != default
        else:
            changes = code < best
        if changes:
            return int(_UNDETERMINED)
    return result


#: The statuses a rule can give, each with a bit of its own (``undetermined`` is never given).
_GIVEN = [STATUSES.index(s) for s in ("recommended", "consider", "not_indicated", "avoid")]
_SHIFT = {code: i for i, code in enumerate(_GIVEN)}


def _decision_table(default: int) -> np.ndarray:
    """``decide`` for every byte ``true_bits << 4 | unknown_bits`` (bit i: a rule giving
    ``_GIVEN[i]`` holds / is unknown)."""
    codes = lambda mask: [c for i, c in enumerate(_GIVEN) if mask >> i & 1]
    return np.array([decide(codes(b >> 4), codes(b & 15), default) for b in range(256)], dtype=np.int8)


_DECISION_TABLES = {d: _decision_table(d) for d in range(len(STATUSES))}


def _resolve(rules: list[CompiledRule], values: dict[str, Tri], n: int,
             default: np.int8) -> tuple[np.ndarray, np.ndarray]:
    """Status and urgency codes of one item on every row, through ``decide``'s table."""
    true_bits = np.zeros(n, dtype=np.uint8)
    unknown_bits = np.zeros(n, dtype=np.uint8)
    plan = _plan(tuple(rules))
    for rule_id, shift, _, _ in plan:
        tri = values[rule_id]
        true_bits |= tri.true.view(np.uint8) << shift  # a bool array viewed as 0/1 bytes
        unknown_bits |= tri.unknown.view(np.uint8) << shift
    true_bits <<= 4
    status = _DECISION_TABLES[int(default)].take(np.bitwise_or(true_bits, unknown_bits, out=true_bits))
    urgency = np.zeros(n, dtype=np.int8)
    for rule_id, _, gives, urgent in plan:
        if urgent:
            decisive = values[rule_id].true & (status == gives)
            urgency[decisive] = np.maximum(urgency[decisive], urgent)
    return status, urgency


@lru_cache(maxsize=1024)
def _plan(rules: tuple[CompiledRule, ...]) -> tuple[tuple[str, int, int, int], ...]:
    """Per rule of an item: its id, its bit, the status code it gives, its urgency code."""
    return tuple((r.rule.id, _SHIFT[STATUSES.index(r.rule.gives)], STATUSES.index(r.rule.gives),
                  URGENCIES.index(r.rule.urgency)) for r in rules)


def _alert_state(rules: list[CompiledRule], values: dict[str, Tri], n: int) -> np.ndarray:
    state = np.full(n, ALERT_STATES.index("not_raised"), dtype=np.int8)
    unknown = np.zeros(n, dtype=bool)
    for r in rules:
        tri = values[r.rule.id]
        state = np.where(tri.true, np.minimum(state, ALERT_STATES.index(r.rule.level)), state)
        unknown |= tri.unknown
    raised = state < ALERT_STATES.index("undetermined")
    return np.where(~raised & unknown, ALERT_STATES.index("undetermined"), state).astype(np.int8)


# --------------------------------------------------------------------------- consistency


def _contradictions(cols: Columns, kb: KnowledgeBase) -> list[tuple[int, str, tuple[str, ...]]]:
    """(row position, message, fields) for every contradiction, in row order."""
    cache: dict[str, Tri] = {}
    found = []
    for entry, node in kb.consistency:
        for pos in np.flatnonzero(node.evaluate(cols, cache).true):
            given = ", ".join(f"{f}={cols.value(f, pos)!r}" for f in entry.fields)
            found.append((int(pos), f"{given} contradict: {entry.message}", tuple(entry.fields)))
    return sorted(found, key=lambda f: f[0])


def check_consistency(record: Mapping[str, Any], kb: KnowledgeBase | None = None) -> None:
    """Raise :class:`InvalidCaseError` if fields of one case contradict each other."""
    kb = kb or knowledge()
    for _, message, fields in _contradictions(encode(one_row(record), n=1), kb):
        raise InvalidCaseError(message, fields=fields)


# --------------------------------------------------------------------------- cohort


@overload
def assess_cohort(frame: pd.DataFrame, *, errors: Literal["raise"] = ..., passthrough: Iterable[str] = ...,
                  urgency: bool = ..., kb: KnowledgeBase | None = ...) -> pd.DataFrame: ...
@overload
def assess_cohort(frame: pd.DataFrame, *, errors: Literal["report"], passthrough: Iterable[str] = ...,
                  urgency: bool = ..., kb: KnowledgeBase | None = ...) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def assess_cohort(frame, *, errors="raise", passthrough=(), urgency=False, kb=None):
    """Assess every row of a frame of cases, vectorised.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns named after :class:`~bonemets.Case` fields (absent columns are unknown on
        every row). List fields hold lists or ``;``-separated strings (``""`` or ``"[]"`` for
        an empty list). Categorical columns are fastest.
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
        ``alert:<id>`` column per alert (``critical`` … ``not_raised``). With
        ``errors="report"`` also the error table (``row``, ``column``, ``value``, ``allowed``).
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors={errors!r} is not allowed; allowed: raise, report")
    passthrough = list(passthrough)
    _check_columns(frame.columns, passthrough)
    if _is_dask(frame):
        return _assess_dask(frame, errors=errors, passthrough=passthrough, urgency=urgency, kb=kb)
    kb = kb or knowledge()
    cols = encode(frame)
    problems = _problems(cols, kb)
    if problems and errors == "raise":
        pos, column, value, allowed = problems[0]
        label = _plain(frame.index[pos])
        if value is None and "contradict" in allowed:
            raise InvalidCaseError(f"row {label!r}: {allowed}", fields=tuple(column.split(",")), row=label)
        raise InvalidCaseError(f"row {label!r}: {column}={value!r} is not allowed; allowed: {allowed}",
                               fields=(column,), row=label)
    out = _frame(evaluate(cols, kb), frame.index, urgency)
    for col in passthrough:
        out[col] = frame[col].to_numpy()
    if errors == "raise":
        return out
    valid = np.ones(len(frame), dtype=bool)
    valid[[p for p, *_ in problems]] = False
    return out[valid], _error_table(frame.index, problems)


#: Columns of the error table of ``assess_cohort(..., errors="report")`` and :func:`cohort_errors`.
ERROR_COLUMNS = ["row", "column", "value", "allowed"]


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
    return _error_table(frame.index, _problems(encode(frame), kb or knowledge()))


def _problems(cols: Columns, kb: KnowledgeBase) -> list[tuple[int, str, Any, str]]:
    problems = [(e.position, e.column, e.value, e.allowed) for e in cols.errors]
    problems += [(pos, ",".join(fields), None, message) for pos, message, fields in _contradictions(cols, kb)]
    return sorted(problems, key=lambda p: p[0])


def _error_table(index: pd.Index, problems: list[tuple[int, str, Any, str]]) -> pd.DataFrame:
    rows = [{"row": _plain(index[p]), "column": c, "value": v, "allowed": a} for p, c, v, a in problems]
    return pd.DataFrame(rows, columns=ERROR_COLUMNS).astype({"column": object, "value": object, "allowed": object})


def _plain(label: Any) -> Any:
    """A numpy scalar index label as a plain Python value (for messages and tables)."""
    return label.item() if hasattr(label, "item") else label


def _check_columns(columns: Iterable[Any], passthrough: list[str]) -> None:
    for col in columns:
        if col not in FIELDS and col not in passthrough:
            raise InvalidCaseError(f"column '{col}' is not a case field{suggest(str(col), FIELDS)}; to keep "
                                   f"it, pass passthrough=['{col}'] (command line: --keep {col})",
                                   fields=(str(col),))


def _is_dask(frame: Any) -> bool:
    return type(frame).__module__.split(".")[0] in ("dask", "dask_expr")


def _assess_dask(frame: Any, *, errors: str, passthrough: list[str], urgency: bool,
                 kb: KnowledgeBase | None) -> Any:
    """Each partition through the pandas path. Errors surface when the result is computed."""
    # Workers load the shipped knowledge themselves (cached per process); a custom one travels.
    ship = None if kb is None or kb is knowledge() else kb
    options = dict(passthrough=passthrough, urgency=urgency, kb=ship)
    meta = assess_cohort(frame._meta, **options)
    if errors == "raise":
        return frame.map_partitions(assess_cohort, **options, meta=meta)
    valid = frame.map_partitions(_valid_rows, **options, meta=meta)
    table = frame.map_partitions(cohort_errors, kb=ship, meta=_error_table(pd.Index([]), []))
    return valid, table


def _valid_rows(frame: pd.DataFrame, **options: Any) -> pd.DataFrame:
    return assess_cohort(frame, errors="report", **options)[0]


def _frame(ev: Evaluation, index: pd.Index, urgency: bool) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for item_id, codes in ev.status.items():
        data[item_id] = pd.Categorical.from_codes(codes, dtype=STATUS_DTYPE)
        if urgency:
            data[f"{item_id}:urgency"] = pd.Categorical.from_codes(ev.urgency[item_id], dtype=URGENCY_DTYPE)
    for alert_id, codes in ev.alerts.items():
        data[f"alert:{alert_id}"] = pd.Categorical.from_codes(codes, dtype=ALERT_DTYPE)
    order = [i for i in ev.kb.items() if i in ev.status]
    columns = [c for i in order for c in ([i, f"{i}:urgency"] if urgency else [i])]
    columns += [f"alert:{a}" for a in ev.alerts]
    return pd.DataFrame(data, index=index)[columns]


# --------------------------------------------------------------------------- one case


def assess(case: Case | Mapping[str, Any], kb: KnowledgeBase | None = None) -> Assessment:
    """Assess one case: which treatment families, options and tests apply, why, on what source.

    Parameters
    ----------
    case : Case or dict
        A dict is validated as ``Case.model_validate(case)``.
    kb : KnowledgeBase, optional
        Defaults to :func:`~bonemets.knowledge`.

    Returns
    -------
    Assessment
    """
    kb = kb or knowledge()
    if not isinstance(case, Case):
        case = Case.model_validate(dict(case))
    ev = evaluate(encode(one_row(case.engine_record()), n=1), kb)
    recs = tuple(_recommendation(ev, item_id, 0) for item_id in kb.items() if item_id in ev.status)
    alerts = tuple(_alert(ev, alert_id, 0) for alert_id in ev.alerts
                   if ALERT_STATES[ev.alerts[alert_id][0]] != "not_raised")
    alerts = tuple(sorted(alerts, key=lambda a: ALERT_STATES.index(a.level)))
    return Assessment(case=case, recommendations=recs, alerts=alerts,
                      knowledge_version=kb.version, knowledge=kb)


def evaluate_condition(node: Node, case: Case | Mapping[str, Any]) -> bool | None:
    """A compiled condition on one case: True, False or None (unknown)."""
    if not isinstance(case, Case):
        case = Case.model_validate(dict(case))
    return node.evaluate(encode(one_row(case.engine_record()), n=1), {}).at(0)


def _facts(ev: Evaluation, rule: CompiledRule, row: int, only_unknown: bool) -> tuple[Fact, ...]:
    """The fields a rule reads on one row; an unknown derived number stands for its unknown inputs."""
    facts: dict[str, Fact] = {}
    for atom in rule.condition.atoms():
        names = [atom.field]
        if atom.field in DERIVED and ev.cols.value(atom.field, row) is None:
            names = [f for f in DERIVED[atom.field].inputs if ev.cols.value(f, row) is None]
        for name in names:
            value = ev.cols.value(name, row)
            if name in facts or (only_unknown and value is not None):
                continue
            facts[name] = Fact(name, value, () if value is not None else tuple(ev.kb.settled_by(name)))
    return tuple(facts.values())


def _citations(ev: Evaluation, cited: Iterable[Any]) -> tuple[Citation, ...]:
    """Knowledge-base citations as the assessment shows them, each source and section once."""
    out: dict[tuple[str, str], Citation] = {}
    for c in cited:
        if (c.source, c.section) not in out:
            out[c.source, c.section] = _cited(ev.kb, c.source, c.section, c.excerpt)
    return tuple(out.values())


@lru_cache(maxsize=4096)
def _cited(kb: KnowledgeBase, source: str, section: str, excerpt: str | None) -> Citation:
    src = kb.sources[source]
    return Citation(source, src.label(), section, excerpt, src.url)


def _reasons(ev: Evaluation, item_id: str, row: int) -> tuple[list[Reason], list[CompiledRule]]:
    """The reasons for an item's status on one row, and the rules that decided it."""
    status = STATUSES[ev.status[item_id][row]]
    rules = ev.rules_for(item_id)
    true = [r for r in rules if ev.values[r.rule.id].true[row]]
    if status == "undetermined":
        best = min((STATUSES.index(r.rule.gives) for r in true if r.rule.gives != "avoid"), default=None)
        default = STATUSES.index(ev.kb.items()[item_id].default_status)
        current = best if best is not None else default
        open_ = [r for r in rules if ev.values[r.rule.id].unknown[row]
                 and (r.rule.gives == "avoid" or (STATUSES.index(r.rule.gives) < current if best is not None
                                                   else STATUSES.index(r.rule.gives) != default))]
        reasons = [Reason(r.rule.id, r.rule.because, "unknown", _facts(ev, r, row, True), r.rule.gives) for r in open_]
        reasons += [Reason(r.rule.id, r.rule.because, "applies", _facts(ev, r, row, False), r.rule.gives)
                    for r in true if best is not None and STATUSES.index(r.rule.gives) == best]
        return reasons, open_ + true
    decisive = [r for r in true if r.rule.gives == status]
    if not decisive:
        return [Reason(None, f"No rule for this item applies to this case; its default is {status}.",
                       "default", (), status)], []
    return [Reason(r.rule.id, r.rule.because, "applies", _facts(ev, r, row, False), r.rule.gives)
            for r in decisive], decisive


def _recommendation(ev: Evaluation, item_id: str, row: int) -> Recommendation:
    item = ev.kb.items()[item_id]
    kind = ev.kb.kind(item_id)
    if kind == "family" and ev.kb.options_of(item_id):
        options = ev.kb.options_of(item_id)
        status = ev.status[item_id][row]
        best = [o for o in options if ev.status[o][row] == status]
        names = ", ".join(ev.kb.options[o].name for o in best)
        reasons = (Reason(None, f"Most favourable status among its options ({names}).", "options", (), STATUSES[status]),)
        sources = _citations(ev, item.sources)
    else:
        reason_list, rules = _reasons(ev, item_id, row)
        reasons = tuple(reason_list)
        sources = _citations(ev, [c for r in rules for c in r.rule.sources] + list(item.sources))
    return Recommendation(
        id=item_id, kind=kind, name=item.name, family=item.family if isinstance(item, Option) else None,
        status=STATUSES[ev.status[item_id][row]], urgency=URGENCIES[ev.urgency[item_id][row]],
        reasons=reasons, sources=sources, notes=_dosing(ev, item, row))


def _dosing(ev: Evaluation, item: Any, row: int) -> tuple[str, ...]:
    """The option's dosing rule applied to this case, as a note (or why it cannot be)."""
    if not isinstance(item, Option) or item.dosing != "zoledronic_acid_dose":
        return ()
    crcl = ev.cols.value("creatinine_clearance_ml_min", row)
    if crcl is None:
        return ("Zoledronic acid dose depends on creatinine clearance, which is unknown "
                "(settle with: kidney_function).",)
    try:
        result = zoledronic_acid_dose(crcl)
    except ScoreInputError as err:  # e.g. an implausible clearance from extreme weight or creatinine
        return (f"Creatinine clearance {crcl:g} mL/min (Cockcroft–Gault) gives no dose: {err}; "
                "check weight and creatinine.",)
    return (f"Creatinine clearance {crcl:g} mL/min (Cockcroft–Gault): {result.interpretation}",)


def _alert(ev: Evaluation, alert_id: str, row: int) -> Alert:
    alert = ev.kb.alerts[alert_id]
    level = ALERT_STATES[ev.alerts[alert_id][row]]
    rules = ev.rules_for(alert_id)
    if level == "undetermined":
        used = [r for r in rules if ev.values[r.rule.id].unknown[row]]
        reasons = tuple(Reason(r.rule.id, r.rule.because, "unknown", _facts(ev, r, row, True), r.rule.level)
                        for r in used)
        level_out, summary = "info", f"Not ruled out: {alert.name[0].lower() + alert.name[1:]}; factors it depends on are unknown."
    else:
        used = [r for r in rules if ev.values[r.rule.id].true[row] and r.rule.level == level]
        reasons = tuple(Reason(r.rule.id, r.rule.because, "applies", _facts(ev, r, row, False), r.rule.level)
                        for r in used)
        level_out, summary = level, alert.summary
    return Alert(id=alert_id, level=level_out, name=alert.name, summary=summary, actions=tuple(alert.actions),
                 sources=_citations(ev, [c for r in used for c in r.rule.sources] + list(alert.sources)),
                 reasons=reasons, raised=level != "undetermined",
                 patient_text=alert.patient_text, professional_text=alert.professional_text)
