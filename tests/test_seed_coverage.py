"""Every actionable statement of the five source texts has an entry: the statements file names
entries that exist, quotes its texts, and the committed seed coverage table is the one generated
from it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import bonemets
from bonemets import KnowledgeError
from bonemets.seed_coverage import (
    SEED_FILES,
    coverage_table,
    entry_kinds,
    load_statements,
    normalise,
    quote_problems,
    read_seeds,
    seeds_dir,
)

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "docs" / "seed-coverage.md"
TOOL = ROOT / "tools" / "seed_coverage.py"
KB = bonemets.knowledge()
STATEMENTS = load_statements(KB)


def test_all_the_reviewed_statements_are_listed_from_every_text():
    assert len(STATEMENTS) >= 188  # the clinical review counted 188
    per_source = {s: sum(st.source == s for st in STATEMENTS) for s in SEED_FILES}
    assert min(per_source.values()) >= 15, per_source
    assert per_source["bcn_secondary_bone"] >= 150  # the booklet is the richest text


def test_every_statement_is_covered_by_a_live_entry():
    kinds = entry_kinds(KB)
    for s in STATEMENTS:
        assert s.covered_by and all(i in kinds for i in s.covered_by), s.id


def test_every_section_and_excerpt_is_found_in_its_text():
    if not seeds_dir().is_dir():
        pytest.skip(f"no source texts at {seeds_dir()} (set BONEMETS_SEEDS)")
    texts = read_seeds(seeds_dir())
    assert quote_problems(STATEMENTS, texts) == []
    assert all(len(s.excerpt.split()) <= 25 for s in STATEMENTS)


# (a statement the review found without an entry, words of its excerpt, the entry that covers it now)
FOUND_MISSING = [
    ("counselling", "counselling services", "emotional_support"),
    ("support group, social worker", "support group or talk with a social worker", "emotional_support"),
    ("specialist nurse", "specialist nurse is available to go over your plan", "specialist_nurse"),
    ("regular pain assessment", "your pain is assessed regularly", "pain_diary"),
    ("pain diary", "record this in a pain diary", "pain_diary"),
    ("another painkiller", "prescribe a different one", "try_another_painkiller"),
    ("new pain after a week or two", "not going away after a week or two", "bone_pain_warning_signs"),
    ("pain waking at night", "pain that is waking you at night", "bone_pain_warning_signs"),
    ("mobility", "struggle with daily tasks", "report_new_symptoms"),
    ("weight loss and fatigue", "weight loss, fatigue", "report_new_symptoms"),
    ("overall health", "your overall health may impact", "general_health_matters"),
    ("informed consent", "informed consent means", "informed_consent"),
    ("right to help plan care", "decide what care you want to receive", "informed_consent"),
    ("right to refuse", "right to refuse treatment", "informed_consent"),
    ("not radioactive", "do not make you radioactive", "radiotherapy_not_radioactive"),
    ("calcium and vitamin D in the diet", "foods that contain calcium and vitamin d", "calcium_vitamin_d_diet"),
    ("dietary calcium", "does not cause hypercalcaemia", "dietary_calcium_is_safe"),
    ("tell the dentist", "tell your dentist", "tell_the_dentist"),
    ("dental treatment with the team", "if your dentist recommends any dental treatment", "tell_the_dentist"),
    ("ear pain or discharge", "discharge from your ear", "jaw_or_ear_symptoms"),
    ("IV ibandronic acid over 15 minutes", "ibandronic acid (bondronat) is given over 15 minutes", "iv_bisphosphonate_visits"),
    ("GP exercise referral", "gp exercise referral", "exercise_referral"),
]


@pytest.mark.parametrize("what, words, entry", FOUND_MISSING, ids=[f[0] for f in FOUND_MISSING])
def test_the_statements_the_review_found_missing_have_their_advice(what, words, entry):
    found = [s for s in STATEMENTS if words in normalise(s.excerpt)]
    assert found, f"{what}: no statement quotes '{words}'"
    assert any(entry in s.covered_by for s in found), f"{what}: not covered by '{entry}'"


def test_the_committed_table_is_a_fresh_generation():
    assert TABLE.read_text(encoding="utf-8") == coverage_table(KB, STATEMENTS), (
        "regenerate with: python tools/seed_coverage.py")


def test_the_table_lists_every_statement_with_an_entry():
    rows = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    listed = [r.split("`")[1] for r in rows]
    assert len(listed) == len(set(listed)) and set(listed) == {s.id for s in STATEMENTS}
    assert all(r.rstrip(" |").rsplit("|", 1)[1].strip() for r in rows)  # the "covered by" cell is never empty
    assert "| all | " + str(len(STATEMENTS)) + " |" in TABLE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- a wrong statement is named

@pytest.fixture
def copy(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KB.path, root)
    return root


def _edit(root: Path, change) -> bonemets.KnowledgeBase:
    file = root / "seed_statements.yaml"
    head = file.read_text(encoding="utf-8").splitlines()[0]
    entries = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(entries)
    file.write_text(head + "\n" + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return bonemets.load_knowledge(root, check_examples=False)


@pytest.mark.parametrize("change, expected", [
    (lambda e: e[0].update(covered_by=["bone_pain_warnign_signs"]),
     "seed_statements.yaml: entry 'csnz_01': covered_by 'bone_pain_warnign_signs' is not a live family, option, "
     "test, alert, rule, concept, implied fact or advice id; did you mean 'bone_pain_warning_signs'?"),
    (lambda e: e[0].update(source="csnz_advanced"),
     "seed_statements.yaml: entry 'csnz_01': source 'csnz_advanced' is not one of the source texts; did you mean "
     "'csnz_advanced_bone'?; allowed: csnz_advanced_bone, bccancer_bone_secondary"),
    (lambda e: e[0].update(covered_by=[]), "seed_statements.yaml: entry 'csnz_01': field 'covered_by'"),
    (lambda e: e[1].update(id=e[0]["id"]), "seed_statements.yaml: entry 'csnz_01': id 'csnz_01' is used twice"),
])
def test_a_wrong_statement_is_named_with_what_is_allowed(copy, change, expected):
    kb = _edit(copy, change)
    with pytest.raises(KnowledgeError) as err:
        load_statements(kb)
    assert expected in str(err.value)


def test_a_statement_covered_only_by_a_retired_entry_is_refused(copy):
    kb = bonemets.load_knowledge(copy, check_examples=False).with_changes(
        advice={"follow_up": {"status": "retired", "retired": {"date": "2026-12-01", "reason": "test"}}},
        check_examples=False)
    with pytest.raises(KnowledgeError, match="covered_by 'follow_up' is not a live"):
        load_statements(kb)


# --------------------------------------------------------------------------- the tool

def _tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, cwd=ROOT)


def test_the_tool_writes_the_table_and_checks_it(tmp_path):
    target = tmp_path / "coverage.md"
    stale = _tool(str(target), "--check")
    assert stale.returncode == 1 and "not up to date" in stale.stderr and not target.exists()
    wrote = _tool(str(target))
    assert wrote.returncode == 0, wrote.stderr
    assert target.read_text(encoding="utf-8") == TABLE.read_text(encoding="utf-8")
    assert _tool(str(target), "--check").returncode == 0


def test_the_tool_names_a_wrong_statement_in_one_line(copy):
    _edit(copy, lambda e: e[0].update(covered_by=["nope"]))
    r = subprocess.run([sys.executable, str(TOOL), str(copy.parent / "out.md")], capture_output=True, text=True,
                       env={"BONEMETS_KNOWLEDGE": str(copy), "PATH": ""}, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "covered_by 'nope'" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (copy.parent / "out.md").exists()
