"""The clinical tables of data/scores: they load, a corrupted copy fails naming file and entry,
and the vectorised derived scores equal the scalar scores on every combination.

The scalar scores are themselves tested against the published tables in test_scores.py; here
they are the oracle for the derived columns, which are summed by different (vectorised) code.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bonemets
from bonemets.columns import encode
from bonemets.derived import DERIVED
from bonemets.exceptions import BonemetsError, DataTableError, ScoreInputError
from bonemets.scores import mirels, sins, tables, zoledronic_acid_dose

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

SCORES_DIR = Path(__file__).resolve().parents[1] / "data" / "scores"


def test_every_table_loads_with_its_kind():
    kinds = {table_id: type(t).__name__ for table_id, t in tables.load_tables(SCORES_DIR).items()}
    assert kinds == {"mirels": "PointScore", "sins": "PointScore", "tokuhashi": "PointScore",
                     "zoledronic_acid_dose": "DoseTable", "corrected_calcium": "CalciumTable"}


def test_every_cited_source_is_in_the_knowledge_base():
    known = set(bonemets.knowledge().sources)
    cited = set()
    for table in tables.TABLES.values():
        cited |= {c.source for c in table.sources}
        if isinstance(table, tables.PointScore):
            cited |= {c.source for c in table.band_sources}
            cited |= {c.source for item in table.items.values() for c in item.sources}
        if isinstance(table, tables.CalciumTable):
            cited |= {u.source for u in table.units.values()}
    assert cited and cited <= known, sorted(cited - known)


def test_score_input_error_is_a_bonemets_error_importable_from_scores():
    from bonemets.scores import ScoreInputError as from_scores

    assert from_scores is ScoreInputError and issubclass(ScoreInputError, BonemetsError)
    with pytest.raises(ScoreInputError, match="site='elbow'"):
        mirels("elbow", "lytic", "gt_two_thirds", "functional")


# --- corrupted copies ----------------------------------------------------------------------------

CORRUPTIONS = [
    # (file, text replaced, replacement, words the message must contain)
    ("mirels.yaml", "upper_limb: 1,", "upper_limb: -1,",
     ["field 'items.site.points.upper_limb'", "greater than or equal to 0"]),
    ("mirels.yaml", "    max: 7\n", "    max: 6\n",
     ["field 'bands'", "every total from 4 to 12", "'clinical_judgement' starts at 8, expected 7"]),
    ("mirels.yaml", "{source: radiopaedia_mirels, section: \"Mirels classification: site\"}",
     "{sorce: radiopaedia_mirels, section: \"Mirels classification: site\"}",
     ["field 'items.site.sources[0]'", "unknown key 'sorce'", "allowed keys: source, section"]),
    ("mirels.yaml", "kind: point_score", "kind: points_score",
     ["field 'kind'", "'points_score' is not allowed", "'point_score', 'dose_table', 'calcium_grades'"]),
    ("sins.yaml", "unit: points", "unit: score",
     ["field 'unit'", "'score' is not allowed", "'points'"]),
    ("sins.yaml", "rigid: [S2, S3, S4, S5]", "rigid: [S1, S3, S4, S5]",
     ["field 'items.location'", "each level belongs to one category; listed twice: S1"]),
    ("sins.yaml", "rigid: [S2, S3, S4, S5]", "rigid: [S2, S3, S4, S 5]",
     ["field 'items.location.levels.rigid[3]'", "'S 5'"]),
    ("tokuhashi.yaml", "aliases: {esophagus: oesophagus}", "aliases: {esophagus: oesophagos}",
     ["field 'items.primary'", "'oesophagos', which is not a category", "oesophagus"]),
    ("tokuhashi.yaml", "      - {count: 50, points: 1}\n", "      - {count: 90, points: 1}\n",
     ["field 'items.kps'", "highest first", "[80, 90, 10]"]),
    ("zoledronic_acid.yaml", "id: \"50_60\"", "id: 50_60",
     ["field 'bands[1].id'", "write it as text", "in quotes"]),
    ("zoledronic_acid.yaml", "lowest_ml_min: 40", "lowest_ml_min: 55",
     ["field 'bands'", "highest first", "[60.0, 50.0, 55.0, 30.0, 0.0]"]),
    ("zoledronic_acid.yaml", "(Cockcroft–Gault): {interpretation}", "(Cockcroft–Gault): {dose_mg}",
     ["field 'note'", "['dose_mg'] not allowed", "['interpretation', 'value']"]),
    ("corrected_calcium.yaml", "grade_limits: [2.9, 3.1, 3.4]", "grade_limits: [2.9, 3.4, 3.1]",
     ["field 'units.SI'", "grade_limits must increase"]),
    ("corrected_calcium.yaml", "  grade_4: ", "  grade_5: ",
     ["field 'grades.grade_5.[key]'", "'grade_5' is not allowed", "'grade_4'"]),
]


@pytest.mark.parametrize("file, old, new, words", CORRUPTIONS, ids=[f"{c[0]}:{c[2][:20]}" for c in CORRUPTIONS])
def test_a_corrupted_table_fails_naming_file_and_entry(tmp_path, file, old, new, words):
    for path in SCORES_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    text = (SCORES_DIR / file).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / file).write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataTableError) as err:
        tables.load_tables(tmp_path)
    message = str(err.value)
    assert message.startswith(f"{tmp_path / file}: ") and "\n" not in message
    for word in words:
        assert word in message


def test_two_tables_with_one_id_fail(tmp_path):
    shutil.copy(SCORES_DIR / "mirels.yaml", tmp_path / "a.yaml")
    shutil.copy(SCORES_DIR / "mirels.yaml", tmp_path / "b.yaml")
    with pytest.raises(DataTableError, match=r"b\.yaml: id 'mirels' is used by another table"):
        tables.load_tables(tmp_path)


# --- derived columns equal the scalar scores ------------------------------------------------------


def _every_combination(table: tables.PointScore) -> pd.DataFrame:
    """One row per combination of the score's categories, in case-field columns."""
    fields = [item.field for item in table.items.values()]
    values = [list(item.points or {}) for item in table.items.values()]
    return pd.DataFrame(list(itertools.product(*values)), columns=fields)


@pytest.mark.parametrize("table, score, count", [(tables.MIRELS, mirels, 81), (tables.SINS, sins, 1296)],
                         ids=["mirels", "sins"])
def test_derived_score_equals_scalar_score_on_every_combination(table, score, count):
    frame = _every_combination(table)
    assert len(frame) == count
    cols = encode(frame)
    assert not cols.errors
    derived = DERIVED[table.derived.name].compute(cols)
    arguments = {item.field: name for name, item in table.items.items()}
    expected = [score(**{arguments[f]: v for f, v in row.items()}).value for row in frame.to_dict("records")]
    np.testing.assert_array_equal(derived, np.array(expected, dtype=float))


def test_derived_scores_by_hand_and_bounded_when_an_item_is_unknown():
    # Worked examples of the clinical reference: 3+3+3+3 = 12; 1+1+1+1 = 4; 3+3+2+0+2+1 = 11.
    frame = pd.DataFrame({
        "long_bone_lesion_site": ["trochanteric", "upper_limb", "upper_limb"],
        "long_bone_lesion_type": ["lytic", "blastic", "blastic"],
        "long_bone_lesion_size": ["gt_two_thirds", "lt_one_third", None],
        "long_bone_pain": ["functional", "mild", "mild"],
        "spinal_location": ["junctional", None, "junctional"],
        "spinal_pain": ["mechanical", "none", "mechanical"],
        "spinal_lesion_type": ["lytic", "blastic", "lytic"],
        "spinal_alignment": ["normal", "normal", "normal"],
        "vertebral_collapse": ["lt_50", "none", "lt_50"],
        "posterolateral_involvement": ["unilateral", "none", "unilateral"],
    })
    cols = encode(frame)
    np.testing.assert_array_equal(DERIVED["mirels_score"].compute(cols), [12, 4, np.nan])
    np.testing.assert_array_equal(DERIVED["sins_score"].compute(cols), [11, np.nan, 11])
    # Bounds over the unknown item: upper limb 1 + blastic 1 + mild 1, size 1 to 3 -> 4 to 6;
    # location junctional 3 ... rigid 0, the other SINS items 0 -> 0 to 3.
    lo, hi = DERIVED["mirels_score"].bounds(cols)
    assert (lo[2], hi[2]) == (4, 6)
    lo, hi = DERIVED["sins_score"].bounds(cols)
    assert (lo[1], hi[1]) == (0, 3)
    assert DERIVED["mirels_score"].inputs == ("long_bone_lesion_site", "long_bone_lesion_type",
                                              "long_bone_lesion_size", "long_bone_pain")


def test_columns_still_exports_the_derived_registry():
    from bonemets.columns import DERIVED as from_columns

    assert from_columns is DERIVED
    assert list(DERIVED) == ["corrected_calcium_mmol_l", "creatinine_clearance_ml_min", "bone_site_count",
                             "mirels_score", "sins_score", "tokuhashi_score"]


@pytest.mark.parametrize("crcl, band, dose", [
    (60.0, "50_60", 3.5), (60.4, "gt_60", 4.0), (29.4, "not_recommended", None),
    (29.5, "not_recommended", None), (49.5, "40_49", 3.3), (39.49, "30_39", 3.0),
])
def test_zoledronic_acid_dose_band_edges_from_the_table(crcl, band, dose):
    # Label bands >60 4.0, 50-60 3.5, 40-49 3.3, 30-39 3.0, <30 not recommended; the unrounded
    # clearance is banded, between two bands taking the lower dose.
    result = zoledronic_acid_dose(crcl)
    assert (result.band, result.value) == (band, dose)
