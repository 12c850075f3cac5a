"""Dose notes (bonemets.dosing): the three note texts, written out by hand from the zoledronic
acid label table (>60 mL/min 4.0 mg; 50-60 3.5 mg; 40-49 3.3 mg; 30-39 3.0 mg; <30 not
recommended; the unrounded clearance banded, never rounded towards a higher dose), the label's
own dose for hypercalcaemia of malignancy, and the scores' input limits."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import bonemets
from bonemets.dosing import dose_note

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

ZOLEDRONIC = SimpleNamespace(dosing="zoledronic_acid_dose")


def _values(**known):
    asked = []

    def value_of(name):
        asked.append(name)
        return known.get(name)

    return value_of, asked


def test_unknown_clearance_names_the_test_that_settles_creatinine():
    value_of, asked = _values()
    note = dose_note(ZOLEDRONIC, value_of, bonemets.knowledge())
    assert note == ("Zoledronic acid dose depends on creatinine clearance, which is unknown "
                    "(settled by Kidney function (creatinine)).",)  # the test by name, never its id
    assert asked[:2] == ["corrected_calcium_mmol_l", "creatinine_clearance_ml_min"]


def test_unknown_clearance_with_creatinine_known_names_what_else_it_needs():
    # An educator read 'settled by Kidney function (creatinine)' with creatinine 80 umol/L and the
    # weight given (examples/first_visit_with_labs.json): Cockcroft-Gault still needs the age.
    value_of, _ = _values(creatinine_umol_l=80, weight_kg=68, sex="female")
    assert dose_note(ZOLEDRONIC, value_of, bonemets.knowledge()) == (
        "Zoledronic acid dose depends on creatinine clearance, which is unknown (it also needs: age (years)).",)


def test_implausible_clearance_gives_no_dose_and_says_why():
    value_of, _ = _values(creatinine_clearance_ml_min=1500.0)
    assert dose_note(ZOLEDRONIC, value_of, bonemets.knowledge()) == (
        "Creatinine clearance 1500 mL/min (Cockcroft–Gault) gives no dose: zoledronic_acid_dose(): "
        "crcl_ml_min=1500.0 is outside the allowed range 0–1000 mL/min; check weight and creatinine.",)


@pytest.mark.parametrize("crcl, interpretation", [
    (45.0, "Creatinine clearance 40 to under 50 mL/min: reduced dose, 3.3 mg zoledronic acid."),
    (49.5, "Creatinine clearance 40 to under 50 mL/min: reduced dose, 3.3 mg zoledronic acid."),
    (60.0, "Creatinine clearance 50–60 mL/min: reduced dose, 3.5 mg zoledronic acid."),
    (61.0, "Creatinine clearance above 60 mL/min: 4.0 mg zoledronic acid."),
    (29.0, "Creatinine clearance below 30 mL/min: zoledronic acid is not recommended."),
    (29.9, "Creatinine clearance below 30 mL/min: zoledronic acid is not recommended."),
])
def test_known_clearance_gives_the_dose_of_its_band(crcl, interpretation):
    value_of, _ = _values(creatinine_clearance_ml_min=crcl, corrected_calcium_mmol_l=2.4)
    assert dose_note(ZOLEDRONIC, value_of, bonemets.knowledge()) == (
        f"Creatinine clearance {crcl:g} mL/min (Cockcroft–Gault): {interpretation}",)


@pytest.mark.parametrize("calcium", [3.0, 3.4])
def test_hypercalcaemia_of_malignancy_gives_the_label_dose_not_the_table(calcium):
    # Zometa label, 4.2: hypercalcaemia (albumin-corrected calcium >= 12.0 mg/dL or 3.0 mmol/L) of
    # malignancy, a single 4 mg dose, no change with creatinine under 400 umol/L; the
    # bone-metastasis renal table (3.3 mg at 45 mL/min) does not apply.
    value_of, _ = _values(creatinine_clearance_ml_min=45.0, corrected_calcium_mmol_l=calcium)
    (note,) = dose_note(ZOLEDRONIC, value_of, bonemets.knowledge())
    assert note.startswith(f"Corrected calcium {calcium:.2f} mmol/L (3.0 or more): for hypercalcaemia of malignancy "
                           "the label dose is a single 4 mg infusion")
    assert "400 µmol/L" in note and "3.3 mg" not in note


def test_calcium_under_the_label_threshold_or_unknown_gives_the_table():
    """Raised (above 2.6) but under the label's 3.0 mmol/L for treating hypercalcaemia: the table."""
    for calcium in (2.6, 2.7, 2.99, None):
        value_of, _ = _values(creatinine_clearance_ml_min=45.0, corrected_calcium_mmol_l=calcium)
        assert "3.3 mg" in dose_note(ZOLEDRONIC, value_of, bonemets.knowledge())[0]


def test_no_settling_test_in_the_knowledge_base_in_use():
    class NoTests:
        def settled_by(self, field: str) -> list[str]:
            return []

    value_of, _ = _values()
    assert dose_note(ZOLEDRONIC, value_of, NoTests()) == (
        "Zoledronic acid dose depends on creatinine clearance, which is unknown.",)


def test_items_without_dosing_have_no_note():
    kb = bonemets.knowledge()
    value_of, asked = _values(creatinine_clearance_ml_min=45.0)
    for item_id in ("denosumab", "bone_strengthening", "kidney_function"):
        assert dose_note(kb.items()[item_id], value_of, kb) == ()
    assert asked == []


def test_dose_note_of_a_case_in_an_assessment():
    # Man, 65 y, 70 kg, creatinine 123.76 umol/L (1.4 mg/dL): (140-65) x 70 / (72 x 1.4)
    # = 52.08 mL/min -> 50-60 band, 3.5 mg.
    case = {"primary": "prostate", "sex": "male", "age": 65, "weight_kg": 70, "creatinine_umol_l": 123.76,
            "bone_sites": ["spine"]}
    notes = {r.id: r.notes for r in bonemets.assess(case).recommendations}
    assert notes["bisphosphonate_iv"] == (
        "Creatinine clearance 52.08 mL/min (Cockcroft–Gault): Creatinine clearance 50–60 mL/min: "
        "reduced dose, 3.5 mg zoledronic acid.",)
    kb = bonemets.knowledge()
    assert dose_note(kb.options["bisphosphonate_iv"], {"creatinine_clearance_ml_min": 52.08}.get, kb) == \
        notes["bisphosphonate_iv"]


def test_a_clearance_just_under_30_is_shown_and_dosed_as_under_30():
    # Woman, 40 y, 43.4 kg, creatinine 151 umol/L: (140-40) x 43.4 x 0.85 / (72 x 151/88.4) = 29.995
    # mL/min, under 30: IV bisphosphonate avoid, and the dose note and the facts must agree (rounded to 2
    # decimals it read "30 mL/min ... 3.0 mg zoledronic acid" next to avoid).
    a = bonemets.assess({"primary": "breast", "sex": "female", "age": 40, "weight_kg": 43.4, "creatinine_umol_l": 151,
                         "bone_sites": ["spine"]})
    rec = a.recommendation("bisphosphonate_iv")
    assert rec.status == "avoid"
    assert rec.notes == ("Creatinine clearance 29.995 mL/min (Cockcroft–Gault): Creatinine clearance below 30 "
                         "mL/min: zoledronic acid is not recommended.",)
    from bonemets.render import text_report

    assert "creatinine clearance 29.995 mL/min" in " ".join(text_report(a, full=True).split())


def test_the_clearance_is_compared_only_with_whole_numbers():
    """What lets a clearance be shown to 2 decimals (bonemets.labels.shown_number): every threshold a
    rule compares it with, and every dose band edge, is a whole number."""
    from bonemets.scores.tables import DOSE_TABLES

    kb = bonemets.knowledge()
    limits = [v for r in kb.rules for atom in r.condition.atoms() if atom.field == "creatinine_clearance_ml_min"
              for op, v in atom.tests if op in ("lt", "le", "gt", "ge")]
    limits += [b.lowest_ml_min for t in DOSE_TABLES.values() for b in t.bands]
    assert limits and all(float(v) == round(float(v)) for v in limits), limits
