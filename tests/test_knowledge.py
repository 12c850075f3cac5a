"""The knowledge base: contract ids present, broken files named precisely, the JSON Schemas an
editor checks the files with, worked examples run at load, drafts, and changed copies."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

import bonemets
from bonemets import KnowledgeError, load_knowledge
from bonemets.knowledge_edit import apply_changes
from bonemets.knowledge_schema import knowledge_files, schema, schema_file, schema_line, schema_text

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

KB = bonemets.knowledge()

CONTRACT = {
    "family": "pain_relief bone_strengthening endocrine_therapy targeted_therapy immunotherapy chemotherapy "
              "radiotherapy surgery spinal_procedures palliative_care clinical_trials",
    "option": "bisphosphonate_iv bisphosphonate_oral denosumab aromatase_inhibitor fulvestrant tamoxifen "
              "ovarian_suppression her2_targeted cdk46_inhibitor mtor_inhibitor external_beam_radiotherapy "
              "stereotactic_radiotherapy orthopaedic_stabilisation decompression_surgery vertebroplasty_kyphoplasty "
              "steroids iv_fluids androgen_deprivation radium_223 radioactive_iodine",
    "test": "physical_exam xray bone_scan ct mri pet_ct blood_calcium kidney_function vitamin_d full_blood_count "
            "alkaline_phosphatase tumour_markers urine_tests bone_biopsy receptor_retest bone_marrow_biopsy dental_check",
    "alert": "spinal_cord_compression hypercalcaemia pathological_fracture bone_marrow_failure pregnancy",
}


@pytest.mark.parametrize("kind, item_id", [(k, i) for k, ids in CONTRACT.items() for i in ids.split()])
def test_contract_ids_exist_with_their_kind(kind, item_id):
    assert KB.kind(item_id) == kind


def test_every_option_and_test_has_at_least_one_rule():
    for item_id in [*KB.options, *KB.tests]:
        assert KB.rules_for(item_id), f"{item_id} has no rule: it could only ever show its default"


def test_excerpts_quote_the_seed_texts():
    """An excerpt from a seed must appear in it (whitespace and quote marks normalised)."""
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the repository")
    files = {"bcn_secondary_bone": "002", "csnz_advanced_bone": "000", "bccancer_bone_secondary": "001",
             "merative_bone_metastasis": "003", "liv_diffuse_bony_mets": "004"}
    def norm(t):  # fold line breaks (also inside hyphenated words), curly quotes and case
        return " ".join(t.replace("-\n", "-").replace("\u2019", "'").replace("\u2018", "'").split()).lower()

    text = {k: norm(next(seeds.glob(f"{v}_*.txt")).read_text()) for k, v in files.items()}
    cited = [c for e in [*KB.families.values(), *KB.options.values(), *KB.tests.values(), *KB.alerts.values(),
                         *KB.concepts.values(), *[r.rule for r in KB.rules]]
             for c in e.sources if c.excerpt and c.source in files]
    assert cited
    for c in cited:
        assert norm(c.excerpt) in text[c.source], (c.source, c.excerpt)


def test_to_frame_views():
    assert {"id", "kind", "name", "status", "sources"} <= set(KB.to_frame("items").columns)
    assert len(KB.to_frame("rules")) == len(KB.rules) + len(KB.retired_rules)
    with pytest.raises(ValueError, match="allowed: items, rules, sources, alerts"):
        KB.to_frame("nope")


def first(entries, entry_id):
    return next(e for e in entries if e["id"] == entry_id)


KIND_OF_FILE = {"rules/breast_systemic.yaml": "rules", "options.yaml": "options", "tests.yaml": "tests",
                "alerts.yaml": "alerts"}


def test_unchanged_copy_loads_like_the_shipped_knowledge():
    copy = KB.with_changes()
    assert [r.rule.id for r in copy.rules] == [r.rule.id for r in KB.rules]
    assert copy.path != KB.path and copy.version == f"{KB.version}+changed"


@pytest.mark.parametrize("file, entry, change, expected", [
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.update(target="her2_targetted"),
     "rule 'her2_positive_her2_targeted': target 'her2_targetted' is not a family, option, test or alert id; did you mean 'her2_targeted'"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.update(sources=[]),
     "entry 'her2_positive_her2_targeted': field 'sources'"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.pop("sources"),
     "entry 'her2_positive_her2_targeted': field 'sources': is required"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.update(gives="recomended"),
     "entry 'her2_positive_her2_targeted': field 'gives': 'recomended' is not allowed; allowed: 'recommended', 'consider', 'not_indicated' or 'avoid'"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e["sources"][0].update(source="breast_cancer_now"),
     "entry 'her2_positive_her2_targeted': source 'breast_cancer_now' is not in sources/"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e["when"]["all"][1].update(field="her_2"),
     "rule 'her2_positive_her2_targeted': when.all[1]: field 'her_2' is not a case field"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e["examples"].update(does_not_trigger=[]),
     "rule 'her2_positive_her2_targeted': examples.does_not_trigger needs at least one case"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.update(status="retired"),
     "entry 'her2_positive_her2_targeted': a retired entry needs 'retired: {date, reason}'"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.update(added="2026-11-23", modified="2026-11-01"),
     "entry 'her2_positive_her2_targeted': modified (2026-11-01) is before added (2026-11-23)"),
    ("rules/breast_systemic.yaml", "her2_positive_her2_targeted",
     lambda e: e.update(added="23/11/2026"),
     "entry 'her2_positive_her2_targeted': field 'added'"),
    ("options.yaml", "tamoxifen",
     lambda e: e.update(family="hormone_therapy"),
     "entry 'tamoxifen': family 'hormone_therapy' is not a family"),
    ("options.yaml", "tamoxifen",
     lambda e: e.update(sources=[]),
     "options.yaml: entry 'tamoxifen': field 'sources'"),
    ("tests.yaml", "kidney_function",
     lambda e: e.update(settles=["creatinine"]),
     "entry 'kidney_function': settles 'creatinine', which is not a case field; did you mean 'creatinine_umol_l'"),
    ("alerts.yaml", "pregnancy",
     lambda e: e.update(level="critical"),
     "alerts.yaml: entry 'pregnancy': field 'level': unknown key; allowed keys: id, status, retired, name, "
     "description, sources, summary, actions, warning, patient_text, professional_text"),
])
def test_broken_entry_names_file_entry_and_what_is_allowed(file, entry, change, expected):
    with pytest.raises(KnowledgeError) as err:
        KB.with_changes(**{KIND_OF_FILE[file]: {entry: change}})
    message = str(err.value)
    assert file in message
    assert expected in message, message
    assert "\n" not in message


def test_duplicate_id_is_named():
    xray = first(yaml.safe_load((KB.path / "tests.yaml").read_text()), "xray")
    with pytest.raises(KnowledgeError, match=r"tests.yaml: entry 'xray': id 'xray' is used twice"):
        KB.with_changes(add={"tests": [xray]})


def test_retired_rule_is_kept_but_not_evaluated():
    kb = KB.with_changes(rules={"her2_positive_her2_targeted": {
        "status": "retired", "retired": {"date": "2026-11-23", "reason": "test of retirement"}}})
    assert "her2_positive_her2_targeted" in [r.id for r in kb.retired_rules]
    a = bonemets.assess({"primary": "breast", "her2": "positive"}, kb=kb)
    assert a.status("her2_targeted") == "not_indicated"


def test_invalid_yaml_is_named():
    with pytest.raises(KnowledgeError, match=r"alerts.yaml: not valid YAML"):
        KB.with_changes(edit=lambda root: (root / "alerts.yaml").write_text("- id: [unclosed\n"))


# --------------------------------------------------------------------------- changed copies


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(root)).encode() + f.read_bytes())
    return h.hexdigest()


def test_with_changes_gives_a_changed_knowledge_and_leaves_the_shipped_files_untouched():
    before = _digest(KB.path)
    case = {"primary": "breast", "her2": "positive"}
    assert bonemets.assess(case).status("her2_targeted") == "recommended"  # HER2-positive: HER2-directed therapy
    changed = KB.with_changes(rules={"her2_positive_her2_targeted": {"gives": "consider"}})
    assert bonemets.assess(case, kb=changed).status("her2_targeted") == "consider"
    assert bonemets.assess(case).status("her2_targeted") == "recommended"
    assert _digest(KB.path) == before
    assert changed.path.is_dir() and KB.path not in changed.path.parents


def test_with_changes_adds_an_option_a_source_and_a_rule_and_removes_one():
    source = {"id": "example_source", "publisher": "Example", "title": "An example", "kind": "review",
              "level": "secondary", "pmid": "12345678", "doi": "10.1000/example.1"}
    option = {"id": "example_option", "family": "supportive_care", "name": "Example option",
              "sources": [{"source": "example_source", "section": "Results"}]}
    rule = {"id": "example_rule", "title": "Breast -> example option", "target": "example_option",
            "gives": "recommended", "when": {"field": "primary", "is": "breast"},
            "because": "An example of a rule added to a copy.", "sources": [{"source": "example_source",
                                                                              "section": "Results"}],
            "examples": {"triggers": [{"primary": "breast"}], "does_not_trigger": [{"primary": "lung"}]}}
    kb = KB.with_changes(add={"sources": [source], "options": [option], "rules": [rule]},
                         rules={"breast_oral_bisphosphonate": None})
    assert kb.sources["example_source"].pmid == "12345678"
    a = bonemets.assess({"primary": "breast"}, kb=kb)
    assert a.status("example_option") == "recommended"
    assert "breast_oral_bisphosphonate" not in [r.rule.id for r in kb.rules]
    assert len(kb.rules) == len(KB.rules)


@pytest.mark.parametrize("changes, expected", [
    ({"rules": {"her2_positive_her2_targetted": {"gives": "consider"}}},
     "rules: no entry 'her2_positive_her2_targetted' to change; did you mean 'her2_positive_her2_targeted'?"),
    ({"add": {"rule": [{}]}}, "'rule' is not a kind of knowledge entry; did you mean 'rules'?"),
])
def test_with_changes_names_what_it_cannot_change(changes, expected):
    with pytest.raises(KnowledgeError) as err:
        KB.with_changes(**changes)
    assert expected in str(err.value)


# --------------------------------------------------------------------------- worked examples


def _misspelt_example(rule):
    rule["examples"]["triggers"].append({"primary": "breast", "her_2": "positive"})


def _contradicting_example(rule):
    rule["examples"]["does_not_trigger"].append({"primary": "breast", "her2": "positive"})


EXAMPLE_PROBLEMS = [
    (_misspelt_example, "rules/breast_systemic.yaml: entry 'her2_positive_her2_targeted': "
                        "field 'examples.triggers[1]': unknown field 'her_2'; did you mean 'her2'?"),
    (_contradicting_example, "rules/breast_systemic.yaml: rule 'her2_positive_her2_targeted': "
                             "examples.does_not_trigger[1] {primary: breast, her2: positive} makes the condition "
                             "true; 'does_not_trigger' examples must make it false"),
]


@pytest.mark.parametrize("change, expected", EXAMPLE_PROBLEMS)
def test_a_bad_example_fails_the_load_naming_file_and_rule(change, expected):
    with pytest.raises(KnowledgeError) as err:
        KB.with_changes(rules={"her2_positive_her2_targeted": change})
    assert expected in str(err.value)


@pytest.mark.parametrize("change, expected", EXAMPLE_PROBLEMS)
def test_a_bad_example_fails_knowledge_check_in_one_line(tmp_path, change, expected):
    root = tmp_path / "knowledge"
    shutil.copytree(KB.path, root)
    apply_changes(root, {"rules": {"her2_positive_her2_targeted": change}}, {})
    r = subprocess.run([sys.executable, "-m", "bonemets.cli", "knowledge", "--check", str(root)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and expected in r.stderr, r.stderr


def test_an_example_breaking_a_rule_can_still_be_loaded_when_asked():
    """A what-if copy that deliberately breaks a safeguard fails on the rule's own examples, and
    loads with check_examples=False (as the hazard tests' broken copies do)."""
    def forget_prior_cdk46(rule):
        rule["when"]["all"].remove({"field": "prior_cdk46_inhibitor", "is": False})

    change = {"hr_positive_her2_negative_cdk46": forget_prior_cdk46}
    with pytest.raises(KnowledgeError, match=r"rule 'hr_positive_her2_negative_cdk46': examples.does_not_trigger\[0\] "
                                             r".*prior_cdk46_inhibitor: true\} makes the condition true"):
        KB.with_changes(rules=change)
    kb = KB.with_changes(rules=change, check_examples=False)
    case = {"primary": "breast", "er": "positive", "her2": "negative", "visceral_metastases": "none",
            "prior_cdk46_inhibitor": True, "performance_status": 1}
    assert bonemets.assess(case).status("cdk46_inhibitor") != "recommended"
    assert bonemets.assess(case, kb=kb).status("cdk46_inhibitor") == "recommended"


# --------------------------------------------------------------------------- drafts


def test_a_draft_rule_is_inactive_unless_drafts_are_included():
    case = {"primary": "breast", "her2": "positive"}
    draft = {"her2_positive_her2_targeted": {"status": "draft"}}
    kb = KB.with_changes(rules=draft)
    assert [r.rule.id for r in kb.draft_rules] == ["her2_positive_her2_targeted"]
    assert "her2_positive_her2_targeted" not in [r.rule.id for r in kb.rules]
    assert bonemets.assess(case, kb=kb).status("her2_targeted") == "not_indicated"
    with_drafts = KB.with_changes(rules=draft, include_drafts=True)
    assert bonemets.assess(case, kb=with_drafts).status("her2_targeted") == "recommended"
    assert [r.rule.id for r in with_drafts.rules] == [r.rule.id for r in KB.rules]  # file order kept
    assert load_knowledge(with_drafts.path, include_drafts=True).rules[0].rule.id == KB.rules[0].rule.id


def test_no_shipped_rule_is_a_draft():
    """Drafts are inactive by default: a shipped draft would silently not answer."""
    assert KB.draft_rules == []


# --------------------------------------------------------------------------- sources and dates


@pytest.mark.parametrize("field, value, expected", [
    ("pmid", "PMID 29035643", "a PMID is its digits only"),
    ("pmid", 29035643, "write it as text (in quotes)"),
    ("doi", "doi:10.1007/s12032-020-01449-8", "a DOI starts with '10.'"),
    ("doi", "https://doi.org/10.1007/s12032-020-01449-8", "a DOI starts with '10.'"),
    ("url", "ftp://example.org/paper.pdf", "a url starts with http:// or https://"),
    ("url", "www.example.org", "a url starts with http:// or https://"),
])
def test_bad_pmid_doi_or_url_is_rejected(field, value, expected):
    with pytest.raises(KnowledgeError) as err:
        KB.with_changes(sources={"abc5_2020": {field: value}})
    assert f"sources/guidelines.yaml: entry 'abc5_2020': field '{field}'" in str(err.value)
    assert expected in str(err.value)


def test_identifiers_written_in_notes_are_in_their_fields():
    """The PMID and DOIs once written in free text now sit in pmid/doi, and no note holds another."""
    assert KB.sources["asco_cco_2017_bma"].pmid == "29035643"
    assert KB.sources["endocrine_resistance_definition"].doi == "10.1007/s12032-020-01449-8"
    assert KB.sources["noms_framework"].doi == "10.1634/theoncologist.2012-0293"
    for s in KB.sources.values():
        assert "pmid" not in s.notes.lower() and "doi:" not in s.notes.lower(), s.id


def test_every_rule_has_its_added_date_and_modified_is_not_earlier():
    rules = [r.rule for r in KB.rules] + KB.retired_rules
    assert all(r.added is not None for r in rules), [r.id for r in rules if r.added is None]
    assert all(r.modified is None or r.modified >= r.added for r in rules)


# --------------------------------------------------------------------------- JSON Schemas


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: dates stay text (YAML 1.2 core schema)."""


EditorLoader.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
FILES = knowledge_files(KB.path)


def _validator(kind: str) -> Draft202012Validator:
    shipped = json.loads(schema_file(KB.path, kind).read_text(encoding="utf-8"))
    return Draft202012Validator(shipped, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("kind", sorted({*FILES.values()}))
def test_shipped_schema_is_the_one_generated_from_the_models(kind):
    assert schema_file(KB.path, kind).read_text(encoding="utf-8") == schema_text(kind), (
        "regenerate with: bonemets knowledge --write-schemas")


def test_every_kind_of_file_is_shipped():
    assert sorted({*FILES.values()}) == sorted(json.loads(_cli("knowledge", "--schema").stdout))


@pytest.mark.parametrize("file", list(FILES), ids=lambda f: str(f.relative_to(KB.path)))
def test_every_shipped_file_names_its_schema_and_validates_against_it(file):
    kind = FILES[file]
    first_line = file.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == schema_line(KB.path, file, kind)
    named = (file.parent / first_line.split("$schema=")[1]).resolve()
    assert named == schema_file(KB.path, kind).resolve() and named.is_file()
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in _validator(kind).iter_errors(yaml.load(file.read_text(encoding="utf-8"), Loader=EditorLoader))]
    assert errors == []


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bonemets.cli", *args], capture_output=True, text=True)


def test_schema_command_prints_the_schemas_and_names_a_bad_kind():
    printed = json.loads(_cli("knowledge", "--schema", "rules").stdout)
    assert printed == schema("rules")
    bad = _cli("knowledge", "--schema", "rule")
    assert bad.returncode == 2 and "'rule' is not a kind of knowledge file" in bad.stderr


def _rules_with(change) -> list:
    rules = yaml.load((KB.path / "rules/breast_systemic.yaml").read_text(encoding="utf-8"), Loader=EditorLoader)
    change(first(rules, "her2_positive_her2_targeted"))
    return rules


@pytest.mark.parametrize("change, where", [
    (lambda r: r.update(becuase=r.pop("because")), "becuase"),
    (lambda r: r["examples"]["triggers"][0].update(her_2="positive"), "her_2"),
    (lambda r: r["examples"]["triggers"][0].update(her2="pos"), "pos"),
    (lambda r: r["sources"][0].update(sectoin="x"), "sectoin"),
    (lambda r: r.update(added="23/11/2026"), "23/11/2026"),
])
def test_editor_check_rejects_a_misspelt_key_or_a_bad_value(change, where):
    errors = list(_validator("rules").iter_errors(_rules_with(change)))
    assert errors and any(where in e.message for e in errors), [e.message for e in errors]


def test_loader_names_file_entry_and_allowed_keys_for_a_misspelt_key():
    with pytest.raises(KnowledgeError) as err:
        KB.with_changes(rules={"her2_positive_her2_targeted": lambda r: r.update(becuase=r.pop("because"))})
    message = str(err.value)
    assert "rules/breast_systemic.yaml: entry 'her2_positive_her2_targeted': field 'becuase': unknown key; " \
           "did you mean 'because'?; allowed keys: id, status, retired, title, target" in message
    assert "knowledge.py" not in message


def test_write_schemas_regenerates_a_knowledge_directorys_schemas(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KB.path, root)
    for f in (root / "schemas").glob("*.json"):
        f.write_text("{}\n", encoding="utf-8")
    r = _cli("knowledge", "--check", str(root), "--write-schemas")
    assert r.returncode == 0, r.stderr
    assert sorted(f.name for f in (root / "schemas").glob("*.json")) == sorted(
        schema_file(root, k).name for k in {*FILES.values()})
    assert all(schema_file(root, k).read_text(encoding="utf-8") == schema_text(k) for k in {*FILES.values()})


def test_threads_starting_together_load_the_knowledge_once(tmp_path, monkeypatch):
    import importlib
    import threading

    module = importlib.import_module("bonemets.knowledge")  # the module, not the function of that name
    copy = tmp_path / "knowledge"
    shutil.copytree(bonemets.knowledge().path, copy)
    loads = []
    real = module.load_knowledge
    monkeypatch.setattr(module, "load_knowledge", lambda *a, **k: loads.append(1) or real(*a, **k))
    start = threading.Barrier(8)
    got = []

    def load():
        start.wait()
        got.append(bonemets.knowledge(copy))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and len(got) == 8 and all(kb is got[0] for kb in got)


def test_a_knowledge_directory_without_rules_is_refused(tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(bonemets.knowledge().path, copy)
    shutil.rmtree(copy / "rules")
    with pytest.raises(bonemets.KnowledgeError, match=r"rules: no rule files"):
        bonemets.load_knowledge(copy)
