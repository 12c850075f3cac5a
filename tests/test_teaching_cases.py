"""The teaching case library: every case loads and its reviewed statuses (golden) still hold.

A change in the knowledge that changes a reviewed status fails here, naming the case and the
item, so that the change is reviewed before its `expected` entry is updated.
"""

import pytest

import bonemets

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

LIBRARY = bonemets.teaching_library()


def test_library_size_and_contract_view():
    assert len(LIBRARY) >= 6
    assert set(bonemets.teaching_cases()) == set(LIBRARY)
    assert all(isinstance(c, bonemets.Case) for c in bonemets.teaching_cases().values())


@pytest.mark.parametrize("case_id", sorted(LIBRARY))
def test_case_is_complete_for_class(case_id):
    t = LIBRARY[case_id]
    assert t.title and t.narrative
    assert len(t.teaching_points) >= 2 and len(t.questions) >= 2
    assert len(t.expected) >= 5


@pytest.mark.parametrize("case_id, item, expected",
                         [(c, i, s) for c, t in sorted(LIBRARY.items()) for i, s in t.expected.items()])
def test_reviewed_status_still_holds(case_id, item, expected):
    a = bonemets.assess(LIBRARY[case_id].case)
    if item.startswith("alert:"):
        assert a.alert_state(item.removeprefix("alert:")) == expected
    else:
        assert a.status(item) == expected


def test_a_question_yaml_reads_as_a_mapping_is_refused_naming_the_entry(tmp_path):
    # "- Is it enough: yes or no?" unquoted is a YAML mapping, not a sentence.
    source = LIBRARY["her2_positive"].path.read_text(encoding="utf-8")
    broken = source.replace("questions:\n", "questions:\n  - Is it enough: yes or no?\n", 1)
    path = tmp_path / "her2_positive.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(bonemets.InvalidCaseError, match="questions entry 1 is not text"):
        bonemets.cases.load_teaching_case(path)
