"""The decision rule, on hand-written scenarios from docs/knowledge-and-engine.md: for one case
(``decide``), as the tables of one item that the evaluation reads for every row (``item_tables``),
and the reasons it gives (``open_statuses``: the unknown rules that made an item undetermined)."""

import pytest

from bonemets.decision import decide, item_tables, open_statuses

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

R, C, U, N, A = range(5)  # recommended, consider, undetermined, not_indicated, avoid

SCENARIOS = [
    ([], [], N, N, "no rule holds: the default"),
    ([], [], C, C, "no rule holds: another default"),
    ([R], [], N, R, "one rule holds"),
    ([C, R], [], N, R, "the most favourable rule that holds wins"),
    ([R, A], [], N, A, "a real reason to withhold wins"),
    ([R], [A], N, U, "an unknown contraindication could change a recommendation"),
    ([N], [A], N, N, "an unknown contraindication does not change 'not indicated'"),
    ([], [R], N, U, "an unknown rule that would recommend: undetermined"),
    ([], [N], N, N, "an unknown rule that would give the default changes nothing"),
    ([], [N], C, U, "an unknown rule that would move off a 'consider' default"),
    ([R], [C], N, R, "an unknown, less favourable rule cannot change a recommendation"),
    ([N], [C], R, U, "a true 'not indicated' under an unknown 'consider'"),
    ([C], [R], N, U, "an unknown, more favourable rule could change 'consider'"),
    ([A], [R], N, A, "avoid holds whatever is unknown"),
    ([], [A], N, N, "not indicated either way: 'not indicated' and 'avoid' are one answer"),
    ([], [A], C, U, "an unknown contraindication could change a 'consider' default"),
]


@pytest.mark.parametrize("true, unknown, default, expected, why", SCENARIOS)
def test_scenarios(true, unknown, default, expected, why):
    assert decide(true, unknown, default) == expected, why


@pytest.mark.parametrize("true, unknown, default, expected, why", SCENARIOS)
def test_an_items_table_gives_the_scenarios(true, unknown, default, expected, why):
    """The table the evaluation reads for every row, at the index of each scenario's values."""
    gives = sorted(set(true) | set(unknown))
    values = [1 if code in true else 0 for code in gives]  # true wins over unknown in a group
    index = sum((v + 1) * 3**j for j, v in enumerate(values))
    assert item_tables(gives, default).status[index] == expected, why


@pytest.mark.parametrize("true, unknown, default, expected", [
    ([C], [R, N], N, {R}),           # only the rule that could recommend is open; 'not indicated' is not
    ([], [R, C, N], N, {R, C}),      # nothing holds: both favourable rules could move the default
    ([R], [A, C], N, {A}),           # the unknown contraindication, not the weaker 'consider'
    ([N], [A, C], R, {C}),           # avoid cannot change 'not indicated'; 'consider' can
    ([R], [C], N, set()),            # decided: nothing is open
])
def test_the_reasons_of_undetermined_are_exactly_the_open_rules(true, unknown, default, expected):
    assert open_statuses(true, unknown, default) == expected


def _index(values):
    return sum((v + 1) * 3**j for j, v in enumerate(values))


@pytest.mark.parametrize("values, best", [
    ((1, 0, -1), 0),   # recommended holds; consider unknown; avoid false: only 'recommended'
    ((0, 1, -1), 0),   # consider holds; recommended unknown: could be recommended
    ((-1, 1, 0), 1),   # consider holds; avoid unknown: consider at best
    ((0, 0, 0), 0),    # everything unknown: could be recommended
    ((-1, -1, -1), 2),  # nothing holds: the default, not indicated
    ((1, 1, 1), 2),    # avoid holds: withheld whatever else
])
def test_the_best_answer_an_item_could_still_turn_into(values, best):
    """Groups recommended, consider, avoid; default not indicated. Ranks: 0 recommended,
    1 consider, 2 not indicated or avoid (worked by hand from the decision rule)."""
    assert item_tables([R, C, A], N).best[_index(values)] == best


@pytest.mark.parametrize("values, status, best", [
    ((1, 0), R, 0),    # recommended, the check unknown: stays recommended (the check is pending)
    ((1, 1), A, 2),    # the check holds: withheld
    ((1, -1), R, 0),   # the check passed
    ((0, 0), U, 0),    # the indication itself unknown: undetermined, not because of the check
])
def test_an_unknown_safety_check_never_makes_an_item_undetermined(values, status, best):
    """Groups: a 'recommended' rule and a safety check (avoid); default not indicated. An unknown
    check is pending, not open, and counts as passed for the best answer (it is named instead)."""
    tables = item_tables([R, A], N, checks=[False, True])
    assert tables.status[_index(values)] == status
    assert tables.best[_index(values)] == best


TEST_SCENARIOS = [
    ([C], [R], N, C, "a test keeps the 'consider' a known fact gives; the unknown rule would raise it"),
    ([C], [R, A], N, U, "an unknown reason to withhold still opens a test"),
    ([], [R], N, U, "no rule holds: a test is undetermined like any item"),
    ([R], [C], N, R, "a less favourable unknown rule changes nothing"),
    ([N], [R], N, U, "only a 'consider' stands: a test a rule rules out is opened by an unknown reason for it"),
]


@pytest.mark.parametrize("true, unknown, default, expected, why", TEST_SCENARIOS)
def test_a_test_keeps_the_status_a_known_fact_gives(true, unknown, default, expected, why):
    """Tests (``floor``) may be asked for because a factor is unknown (contract §6): a rule that
    holds decides, and a more favourable unknown rule is a reason, not an open question. The same
    values on a treatment leave it undetermined (SCENARIOS above), as soundness requires."""
    assert decide(true, unknown, default, floor=True) == expected, why
    gives = sorted(set(true) | set(unknown))
    index = _index([1 if code in true else 0 for code in gives])
    assert item_tables(gives, default, floor=True).status[index] == expected, why
    assert not open_statuses(true, unknown, default, floor=True) or expected == U
