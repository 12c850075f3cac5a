"""Every rule's worked examples: the condition holds on `triggers`, fails on `does_not_trigger`,
is unknown on `undetermined` through the one-case path (the loader runs them through the cohort
path); and the single-case and cohort assessments agree on all of them."""

import pandas as pd
import pytest

import bonemets
from bonemets.evaluation import evaluate_condition

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

KB = bonemets.knowledge()
EXPECT = {"triggers": True, "does_not_trigger": False, "undetermined": None}
EXAMPLES = [
    pytest.param(r, kind, case, id=f"{r.rule.id}-{kind}-{i}")
    for r in KB.rules
    for kind in EXPECT
    for i, case in enumerate(getattr(r.rule.examples, kind))
]


@pytest.mark.parametrize("rule, kind, case", EXAMPLES)
def test_rule_example(rule, kind, case):
    assert evaluate_condition(rule.condition, case) is EXPECT[kind]


def test_a_triggering_example_shows_the_rule_in_its_target_when_it_decides():
    """When a rule's example triggers it and its status wins, the rule is among the reasons."""
    seen = 0
    for r in KB.rules:
        for case in r.rule.examples.triggers:
            a = bonemets.assess(case)
            for target in r.rule.targets:
                if KB.kind(target) == "alert":
                    alert = a.alert(target)
                    assert alert is not None and alert.raised, (r.rule.id, case)
                    continue
                rec = a.recommendation(target)
                if rec.status == r.rule.gives:
                    assert r.rule.id in [x.rule for x in rec.reasons], (r.rule.id, case)
                    seen += 1
    assert seen > len(KB.rules) // 2


def _rows():
    return [c for r in KB.rules for kind in EXPECT for c in getattr(r.rule.examples, kind)]


def test_assess_and_assess_cohort_agree_on_every_example():
    cases = _rows()
    frame = pd.DataFrame([c.model_dump() for c in cases])
    cohort = bonemets.assess_cohort(frame, urgency=True)
    for i, case in enumerate(cases):
        a = bonemets.assess(case)
        for rec in a.recommendations:
            assert cohort.at[i, rec.id] == rec.status, (i, rec.id)
            assert cohort.at[i, f"{rec.id}:urgency"] == rec.urgency, (i, rec.id)
        for alert_id in KB.alerts:
            assert cohort.at[i, f"alert:{alert_id}"] == a.alert_state(alert_id), (i, alert_id)
