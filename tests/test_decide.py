"""The decision rule, on hand-written scenarios from docs/knowledge-and-engine.md: for one case
(``decide``), as the table of one item that the evaluation reads for every row (``item_table``),
and the reasons it gives (``open_statuses``: the unknown rules that made an item undetermined)."""

import pytest

from bonemets.decision import decide, item_table, open_statuses

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
    assert item_table(gives, default)[index] == expected, why


@pytest.mark.parametrize("true, unknown, default, expected", [
    ([C], [R, N], N, {R}),           # only the rule that could recommend is open; 'not indicated' is not
    ([], [R, C, N], N, {R, C}),      # nothing holds: both favourable rules could move the default
    ([R], [A, C], N, {A}),           # the unknown contraindication, not the weaker 'consider'
    ([N], [A, C], R, {C}),           # avoid cannot change 'not indicated'; 'consider' can
    ([R], [C], N, set()),            # decided: nothing is open
])
def test_the_reasons_of_undetermined_are_exactly_the_open_rules(true, unknown, default, expected):
    assert open_statuses(true, unknown, default) == expected
