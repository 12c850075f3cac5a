"""Questions to ask: the unknown factors of one case, ranked by what knowing them would decide.

The case is expanded over the values of each unknown factor the rules read (every value of a
one-value or true/false field; no value or one value of a list field; a spread of numbers over a
number field's plausible range and either side of each threshold a rule compares it with), and
the expansion is evaluated in one vectorised call of the same engine (:mod:`bonemets.evaluation`).
Values that contradict the case are left out. For each factor:

- ``settles``: the undetermined items and alerts not ruled out that every value would decide (not a
  test that settles the factor itself: "Has a germline BRCA variant been found?" does not decide the
  germline BRCA test);
- ``could_decide``: those that some values would, and the raised alerts some values would make
  more severe;
- ``could_raise``: the tests at ``consider`` that some values would make recommended (not a test
  that settles the factor: the x-ray answers whether a bone has broken);
- ``critical`` (and ``critical_alerts``): some value raises a critical alert that is not raised now;
- ``warnings``: the alerts not raised now that some value raises as a warning;
- ``checks``: the pending safety checks that every value would settle.

Factors that could raise a critical alert come first -- those that would make critical an alert
already raised at a lower level (a warning sign is present) before the others -- then those that
could raise a warning (one that can become an emergency first: back pain before a broken bone),
then those that decide most (an item settled whatever the answer counts twice an item some
answers decide, a pending check once).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .assessment import Question
from .case import FIELDS
from .columns import Columns
from .derived import inputs_of
from .evaluation import evaluate, plan
from .labels import field_question
from .logic import TRUE, Tri
from .vocabulary import ALERT_STATES, STATUSES

if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .knowledge import KnowledgeBase

_UNDETERMINED = STATUSES.index("undetermined")
_CONSIDER, _RECOMMENDED = STATUSES.index("consider"), STATUSES.index("recommended")
_ALERT_UNDETERMINED = ALERT_STATES.index("undetermined")
_CRITICAL, _WARNING = ALERT_STATES.index("critical"), ALERT_STATES.index("warning")
#: Numbers tried across a number field's plausible range, besides either side of each threshold.
_SPREAD = 9


@lru_cache(maxsize=16)
def _read(kb: KnowledgeBase) -> tuple[dict[str, list[float]], frozenset[str]]:
    """The fields the rules read (a derived number: its inputs), and the thresholds compared with
    each number field."""
    thresholds: dict[str, list[float]] = {}
    fields: set[str] = set()
    for r in kb.rules:
        for atom in r.condition.atoms():
            fields.update(inputs_of([atom.field]))
            if atom.field in FIELDS and FIELDS[atom.field].kind in ("int", "float"):
                thresholds.setdefault(atom.field, []).extend(
                    float(v) for op, v in atom.tests if op in ("lt", "le", "gt", "ge"))
    return thresholds, frozenset(fields)


def _values(name: str, thresholds: list[float]) -> list[Any]:
    """The values a question about a field tries."""
    spec = FIELDS[name]
    if spec.kind == "enum":
        return list(range(len(spec.allowed)))
    if spec.kind == "bool":
        return [1, -1]
    if spec.kind == "list":
        # none or one value (a field that needs one value, bone sites, is never asked with none)
        return ([] if spec.min_items else [0]) + [1 << i for i in range(len(spec.allowed))]
    least, most = spec.plausible
    points = set(np.linspace(least, most, _SPREAD).tolist())
    step = 1.0 if spec.kind == "int" else 0.01
    points.update(v for t in thresholds for v in (t - step, t, t + step) if least <= v <= most)
    return sorted(points)


def _expand(cols: Columns, blocks: list[tuple[str, list[Any]]]) -> Columns:
    """One row per (field, value): the case with that field set to that value."""
    n = sum(len(values) for _, values in blocks)
    out = Columns(n, enums={k: np.repeat(v, n) for k, v in cols.enums.items()},
                  bools={k: Tri.of(np.repeat(v.v, n)) for k, v in cols.bools.items()},
                  numbers={k: np.repeat(v, n) for k, v in cols.numbers.items()},
                  lists={k: (np.repeat(known, n), np.repeat(mask, n)) for k, (known, mask) in cols.lists.items()})
    start = 0
    for name, values in blocks:
        rows = slice(start, start + len(values))
        kind = FIELDS[name].kind
        if kind == "enum":
            out.enums[name][rows] = values
        elif kind == "bool":
            out.bools[name].v[rows] = values
        elif kind == "list":
            out.lists[name][0][rows] = True
            out.lists[name][1][rows] = values
        else:
            out.numbers[name][rows] = values
        start += len(values)
    return out


@lru_cache(maxsize=8)
def _can_be_critical(kb: KnowledgeBase) -> frozenset[str]:
    """The alerts some rule raises as critical (spinal cord compression, hypercalcaemia...)."""
    return frozenset(alert for alert in kb.alerts if any(r.rule.level == "critical" for r in kb.rules_for(alert)))


def questions(ev: Evaluation, row: int = 0) -> tuple[Question, ...]:
    """The questions for one row of an evaluation (see the module docstring).

    Parameters
    ----------
    ev : Evaluation
    row : int

    Returns
    -------
    tuple of Question
        Most decisive first; only factors whose answer would decide something.
    """
    kb = ev.kb
    thresholds, read = _read(kb)
    base = ev.cols.rows(row, row + 1)
    unknown = [f for f in FIELDS if f in read and base.unknown(f)[0]]
    blocks = [(f, _values(f, thresholds.get(f, []))) for f in unknown]
    blocks = [(f, v) for f, v in blocks if v]
    if not blocks:
        return ()
    p = plan(kb)
    expanded = evaluate(_expand(base, blocks), kb)
    outputs = p.program.outputs
    valid = np.ones(expanded.cols.n, dtype=bool)
    for i in range(len(kb.consistency)):
        valid &= expanded.matrix[outputs[f"consistency:{i}"]] != TRUE
    open_items = [i for i, s in enumerate(ev.status[:, row].tolist()) if s == _UNDETERMINED]
    raisable = [i for i, s in enumerate(ev.status[:, row].tolist()) if s == _CONSIDER and kb.kind(p.items[i]) == "test"]
    open_alerts = [a for a, codes in ev.alerts.items() if codes[row] == _ALERT_UNDETERMINED]
    open_checks = [(p.check_ids[bit], item, np.uint32(1 << bit)) for item, masks in ev.pending.items()
                   for bit in range(len(p.check_ids)) if int(masks[row]) >> bit & 1]
    found: list[tuple[tuple[int, ...], Question]] = []
    start = 0
    for name, values in blocks:
        rows = np.arange(start, start + len(values))[valid[start:start + len(values)]]
        start += len(values)
        if not len(rows):
            continue
        settled_by = kb.settled_by(name)  # a test that answers the question is not what the answer decides
        decided = {p.items[i]: expanded.status[i, rows] != _UNDETERMINED for i in open_items
                   if p.items[i] not in settled_by}
        decided.update({a: expanded.alerts[a][rows] != _ALERT_UNDETERMINED for a in open_alerts})
        settles = tuple(k for k, d in decided.items() if d.all())
        could = tuple(k for k, d in decided.items() if d.any() and not d.all())
        could += tuple(a for a, codes in ev.alerts.items() if codes[row] < _ALERT_UNDETERMINED
                       and (expanded.alerts[a][rows] < codes[row]).any())  # raised, and could be more severe
        raises = [a for a, codes in expanded.alerts.items()
                  if ev.alerts[a][row] != _CRITICAL and (codes[rows] == _CRITICAL).any()]
        warns = [a for a, codes in expanded.alerts.items()  # not raised now; some answer makes it a warning
                 if a not in raises and ev.alerts[a][row] >= _ALERT_UNDETERMINED and (codes[rows] == _WARNING).any()]
        critical = bool(raises)
        escalates = any(ev.alerts[a][row] < _ALERT_UNDETERMINED for a in raises)  # raised now, lower level
        checks = tuple(dict.fromkeys(check for check, item, bit in open_checks
                                     if not (expanded.pending[item][rows] & bit).any()))
        raised = tuple(p.items[i] for i in raisable
                       if p.items[i] not in settled_by and (expanded.status[i, rows] == _RECOMMENDED).any())
        if settles or could or critical or checks or raised:
            question = Question(name, field_question(name), tuple(settled_by), settles, could, critical,
                                checks, raised, tuple(raises), tuple(warns))
            rank = 2 * len(settles) + len(could) + len(checks) + len(raised)
            emergency = any(a in _can_be_critical(kb) for a in warns)  # a warning that can become an emergency
            found.append(((-int(critical), -int(escalates), -int(bool(warns)), -int(emergency), -rank,
                           list(FIELDS).index(name)), question))
    return tuple(q for _, q in sorted(found, key=lambda f: f[0]))
