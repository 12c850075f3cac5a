"""The content the clinical-content issue lists is in the knowledge base, with a source.

Each entry below is a thing the source texts describe (issue "Clinical content", §1). It is
found as an id, or as a drug name or phrase in an entry that cites a source with a section; the
test fails naming what is missing, so content cannot quietly disappear.
"""

import pytest

import bonemets

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

KB = bonemets.knowledge()


def _text(entry) -> str:
    parts = [entry.id, getattr(entry, "name", ""), getattr(entry, "description", ""),
             " ".join(getattr(entry, "drugs", [])), getattr(entry, "summary", ""),
             " ".join(getattr(entry, "actions", [])), getattr(entry, "patient_text", ""),
             getattr(entry, "professional_text", "")]
    for part in ("schedule", "time_to_benefit"):
        if getattr(entry, part, None):
            parts.append(getattr(entry, part).text)
    parts += [f"{s.name} {s.text}" for s in getattr(entry, "side_effects", [])]
    return " ".join(parts).lower()


ENTRIES = {**KB.families, **KB.options, **KB.tests, **KB.alerts}
TEXT = {i: _text(e) for i, e in ENTRIES.items()}
RULES = {r.rule.id: f"{r.rule.title} {r.rule.because}".lower() for r in KB.rules}

# (what the issue lists, where it must be: an id, or (id, phrase that must be in its text))
CONTENT = [
    ("NSAIDs with their cautions", ("nsaids", "kidney")), ("opioids", "opioids"), ("steroids", "steroids"),
    ("neuropathic adjuvants", "neuropathic_adjuvants"), ("breakthrough pain", ("opioids", "breakthrough")),
    ("nerve blocks / ablation", "nerve_block_ablation"),
    ("zoledronic acid", ("bisphosphonate_iv", "zoledronic")), ("pamidronate", ("bisphosphonate_iv", "pamidronate")),
    ("ibandronic acid", ("bisphosphonate_oral", "ibandronic")), ("clodronate", ("bisphosphonate_oral", "clodronate")),
    ("denosumab", "denosumab"), ("aromatase inhibitors", ("aromatase_inhibitor", "letrozole")),
    ("fulvestrant", "fulvestrant"), ("goserelin", ("ovarian_suppression", "goserelin")),
    ("leuprorelin", ("ovarian_suppression", "leuprorelin")), ("tamoxifen", "tamoxifen"),
    ("HER2-directed drugs by name", ("her2_targeted", "trastuzumab deruxtecan")),
    ("abemaciclib", ("cdk46_inhibitor", "abemaciclib")), ("palbociclib", ("cdk46_inhibitor", "palbociclib")),
    ("ribociclib", ("cdk46_inhibitor", "ribociclib")), ("everolimus", ("mtor_inhibitor", "everolimus")),
    ("immunotherapy", "immunotherapy"), ("chemotherapy", "chemotherapy"),
    ("external beam, single or several doses", ("external_beam_radiotherapy", "single dose")),
    ("re-treatment", "radiotherapy_retreatment"), ("stereotactic / SABR", "stereotactic_radiotherapy"),
    ("radioisotopes", "radioisotopes"), ("stabilisation and fixation after fracture", "orthopaedic_stabilisation"),
    ("decompression", "decompression_surgery"), ("vertebroplasty and kyphoplasty", "vertebroplasty_kyphoplasty"),
    ("clinical trials", "clinical_trials"), ("palliative and supportive care", "palliative_care"),
    ("physiotherapy and exercise advice", "physiotherapy_exercise"), ("complementary approaches", "complementary_therapies"),
    ("physical exam", "physical_exam"), ("x-ray shows lesions of 1 cm or more", ("xray", "1 cm")),
    ("bone scan", "bone_scan"), ("CT", "ct"), ("MRI metal caution", ("mri", "metal")), ("MRI contrast caution", ("mri", "contrast")),
    ("PET / PET-CT", "pet_ct"), ("calcium", "blood_calcium"), ("kidney function", "kidney_function"),
    ("vitamin D", "vitamin_d"), ("full blood count", "full_blood_count"), ("alkaline phosphatase", "alkaline_phosphatase"),
    ("tumour markers and their limits", ("tumour_markers", "reliab")), ("urine tests", "urine_tests"),
    ("bone biopsy, needle or surgical", ("bone_biopsy", "needle or surgery")), ("receptor re-test", "receptor_retest"),
    ("bone-marrow biopsy", "bone_marrow_biopsy"), ("dental check-up", "dental_check"),
    ("spinal cord compression: lie flat", ("spinal_cord_compression", "flat")),
    ("spinal cord compression: urgent MRI", ("spinal_cord_compression", "mri")),
    ("alert card text for patients", ("spinal_cord_compression", "a&e")),
    ("alert card text for professionals", ("spinal_cord_compression", "urgent mri scan")),
    ("hypercalcaemia: fluids", ("hypercalcaemia", "fluids")),
    ("hypercalcaemia: bone-strengthening if not already on them", ("hypercalcaemia", "if not already")),
    ("pathological fracture", "pathological_fracture"), ("low blood counts", ("bone_marrow_failure", "anaemia")),
    ("blood clots (DVT/PE)", ("blood_clots", "pulmonary embolism")), ("pregnancy", "pregnancy"),
    ("infusion time", ("bisphosphonate_iv", "15 minutes")), ("12-week de-escalation", ("bisphosphonate_iv", "12 weeks")),
    ("flu-like symptoms", ("denosumab", "flu-like")), ("hypocalcaemia", ("denosumab", "low calcium")),
    ("kidney effects", ("bisphosphonate_iv", "kidney damage")), ("osteonecrosis of the jaw and ear", ("denosumab", "ear")),
    ("atypical femur fracture", ("denosumab", "thigh")),
    ("hormone therapy takes 2-3 months", ("aromatase_inhibitor", "two to three months")),
    ("radiotherapy: a couple of weeks, pain flare", ("external_beam_radiotherapy", "pain flare")),
]


@pytest.mark.parametrize("what, where", CONTENT, ids=[c[0] for c in CONTENT])
def test_listed_content_is_in_the_knowledge_base_with_a_source(what, where):
    item, phrase = where if isinstance(where, tuple) else (where, None)
    assert item in ENTRIES, f"{what}: no entry '{item}'"
    assert ENTRIES[item].sources and all(c.section for c in ENTRIES[item].sources), f"{what}: no cited section"
    if phrase:
        assert phrase in TEXT[item], f"{what}: '{phrase}' not in {item}"


@pytest.mark.parametrize("what, rule_words", [
    ("male breast cancer", "man with hr+"), ("endocrine resistance", "resistance"),
    ("visceral crisis", "visceral crisis"), ("HER2-low", "her2-low"), ("triple negative", "triple-negative"),
    ("prior CDK4/6 inhibitor", "cdk4/6 inhibitor already given"), ("chemotherapy and how long ago", "how long ago"),
    ("prior radiotherapy to the same site", "treated with radiotherapy before"),
    ("already on a bone-strengthening drug", "not already having bone-strengthening"),
    ("oligometastatic: SABR", "limited number"), ("oligometastatic: surgery", "single bone metastasis"),
    ("biopsy: first metastasis", "first metastasis"), ("biopsy: single lesion or second cancer", "one area of bone"),
    ("biopsy: long interval", "five or more years"), ("decalcification note", "edta"),
    ("bone-marrow involvement", "bone marrow"), ("Mirels drives orthopaedic referral", "mirels"),
    ("SINS drives surgical consultation", "sins"), ("CrCl < 30 withholds IV bisphosphonate", "under 30 ml/min"),
    ("corrected calcium drives the alert", "correcting for a low albumin"),
])
def test_listed_guideline_logic_has_a_rule(what, rule_words):
    assert any(rule_words in text for text in RULES.values()), f"{what}: no rule mentions '{rule_words}'"
