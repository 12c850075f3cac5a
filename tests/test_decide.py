"""The decision rule, on hand-written scenarios from docs/knowledge-and-engine.md, and its table
(which both paths use) against the rule itself for every combination."""

import itertools

import pytest

from bonemets.engine import _DECISION_TABLES, _GIVEN, decide

R, C, U, N, A = range(5)  # recommended, consider, undetermined, not_indicated, avoid


@pytest.mark.parametrize("true, unknown, default, expected, why", [
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
])
def test_scenarios(true, unknown, default, expected, why):
    assert decide(true, unknown, default) == expected, why


def test_the_table_is_the_rule_for_every_combination():
    for default in (R, C, N):
        for t_bits, u_bits in itertools.product(range(16), repeat=2):
            true = [c for i, c in enumerate(_GIVEN) if t_bits >> i & 1]
            unknown = [c for i, c in enumerate(_GIVEN) if u_bits >> i & 1]
            assert _DECISION_TABLES[default][t_bits << 4 | u_bits] == decide(true, unknown, default)
