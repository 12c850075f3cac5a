"""The knowledge base: every entry cited, contract ids present, broken files named precisely."""

import shutil
from pathlib import Path

import pytest
import yaml

import bonemets
from bonemets import KnowledgeError, load_knowledge
from bonemets.knowledge import default_path

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


def test_every_entry_cites_an_existing_source_with_a_section():
    entries = [*KB.families.values(), *KB.options.values(), *KB.tests.values(), *KB.alerts.values(),
               *[r.rule for r in KB.rules]]
    for entry in entries:
        assert entry.sources, entry.id
        for c in entry.sources:
            assert c.source in KB.sources, (entry.id, c.source)
            assert len(c.section) >= 2, entry.id


def test_every_option_and_test_has_at_least_one_rule():
    for item_id in [*KB.options, *KB.tests]:
        assert KB.rules_for(item_id), f"{item_id} has no rule: it could only ever show its default"


def test_excerpts_are_short():
    for r in KB.rules:
        for c in r.rule.sources:
            assert c.excerpt is None or len(c.excerpt.split()) <= 40, r.rule.id


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


@pytest.fixture
def kb_copy(tmp_path):
    dest = tmp_path / "knowledge"
    shutil.copytree(default_path(), dest)
    return dest


def edit(path: Path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def first(entries, entry_id):
    return next(e for e in entries if e["id"] == entry_id)


def test_copy_loads(kb_copy):
    assert len(load_knowledge(kb_copy).rules) == len(KB.rules)


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
     "alerts.yaml: entry 'pregnancy': field 'level': unknown key"),
])
def test_broken_entry_names_file_entry_and_what_is_allowed(kb_copy, file, entry, change, expected):
    edit(kb_copy / file, lambda entries: change(first(entries, entry)))
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kb_copy)
    message = str(err.value)
    assert file in message
    assert expected in message, message
    assert "\n" not in message


def test_duplicate_id_is_named(kb_copy):
    edit(kb_copy / "tests.yaml", lambda entries: entries.append(dict(first(entries, "xray"))))
    with pytest.raises(KnowledgeError, match=r"tests.yaml: entry 'xray': id 'xray' is used twice"):
        load_knowledge(kb_copy)


def test_retired_rule_is_kept_but_not_evaluated(kb_copy):
    def retire(entries):
        first(entries, "her2_positive_her2_targeted").update(
            status="retired", retired={"date": "2026-11-23", "reason": "test of retirement"})
    edit(kb_copy / "rules/breast_systemic.yaml", retire)
    kb = load_knowledge(kb_copy)
    assert "her2_positive_her2_targeted" in [r.id for r in kb.retired_rules]
    a = bonemets.assess({"primary": "breast", "her2": "positive"}, kb=kb)
    assert a.status("her2_targeted") == "not_indicated"


def test_invalid_yaml_is_named(kb_copy):
    (kb_copy / "alerts.yaml").write_text("- id: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"alerts.yaml: not valid YAML"):
        load_knowledge(kb_copy)
