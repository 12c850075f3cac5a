"""The synthetic-cohort prevalences (data/cohort/prevalences.yaml): each parameter cited or marked
illustrative, a corrupted copy fails naming file and entry, and a seed still draws the cohort it
drew when the numbers were Python constants."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bonemets
from bonemets.cohort import synthetic
from bonemets.datafiles import load_model
from bonemets.exceptions import DataTableError
from bonemets.prevalences import PREVALENCES, Prevalences

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

FILE = Path(__file__).resolve().parents[1] / "data" / "cohort" / "prevalences.yaml"


def test_cited_parameters_cite_sources_of_the_knowledge_base():
    known = set(bonemets.knowledge().sources)
    cited = {name: [c.source for c in getattr(PREVALENCES, name).sources] for name in Prevalences.model_fields}
    assert {s for sources in cited.values() for s in sources} <= known
    # The two parameters the cohort documentation calls cited, and the cited sets of categories.
    assert cited["discordance"] == ["amir_metastasis_biopsy"] and not PREVALENCES.discordance.illustrative
    assert cited["ctcae_grade_2_mmol_l"] == ["bmj_best_practice_hypercalcaemia"]
    assert cited["bone_sites"] == ["bcn_secondary_bone"] and PREVALENCES.bone_sites.illustrative
    assert cited["primary"] == ["merative_bone_metastasis"]


def test_discordance_rates_are_the_published_ones():
    # Amir et al.: ER 16%, PgR 40%, HER2 10% (clinical reference, section 2).
    assert PREVALENCES.discordance.value == {"er": 0.16, "pr": 0.40, "her2": 0.10}


CORRUPTIONS = [
    ("value: {breast: 0.45,", "value: {breast: 1.45,", ["field 'primary.value.breast'", "less than or equal to 1"]),
    ("age_sd:\n  value: 11.0\n  illustrative: true", "age_sd:\n  value: 11.0\n  illustrativ: true",
     ["field 'age_sd'", "unknown key 'illustrativ'", "allowed keys: value, illustrative, sources, note"]),
    ("rebiopsy:\n  value: 0.5\n  illustrative: true", "rebiopsy:\n  value: 0.5\n  illustrative: false",
     ["field 'rebiopsy'", "cites at least one source"]),
    ("{sites: [upper_arm], weight: 0.02}", "{sites: [elbow], weight: 0.02}",
     ["field 'bone_sites.value'", "['elbow']", "case field 'bone_sites'"]),
    ("value: {without_spine: 0.15, with_spine: 0.55}", "value: {with_spine: 0.55, without_spine: 0.15}",
     ["field 'back_pain.value'", "without_spine, with_spine, in that order"]),
    ("value: {none: 0.03, mild: 0.05, moderate: 0.10, severe: 0.20}", "value: {none: 0.03, mild: 0.05, severe: 0.20}",
     ["field 'fracture_by_pain.value'", "every one of", "none, mild, moderate, severe"]),
]


@pytest.mark.parametrize("old, new, words", CORRUPTIONS, ids=[c[2][0] for c in CORRUPTIONS])
def test_a_corrupted_copy_fails_naming_file_and_entry(tmp_path, old, new, words):
    text = FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / "prevalences.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataTableError) as err:
        load_model(bad, Prevalences)
    message = str(err.value)
    assert message.startswith(f"{bad}: ") and "\n" not in message
    for word in words:
        assert word in message


# Columns the prevalences drive, hashed from their raw numbers (not pandas' text output).
PINNED_COLUMNS = ["primary", "sex", "age", "menopause", "er", "pr", "her2", "bone_sites", "bone_lesion_count",
                  "bone_pain", "back_pain", "calcium_mmol_l", "albumin_g_l", "creatinine_umol_l", "weight_kg",
                  "prior_endocrine_therapy", "endocrine_resistance", "prior_chemotherapy",
                  "months_since_chemotherapy", "prior_radiotherapy_sites", "years_since_primary_diagnosis",
                  "could_become_pregnant"]


def _digest(frame: pd.DataFrame) -> str:
    h = hashlib.sha256()
    for name in PINNED_COLUMNS:
        col = frame[name]
        h.update(name.encode())
        if isinstance(col.dtype, pd.CategoricalDtype):
            h.update("|".join(map(str, col.cat.categories)).encode())
            h.update(col.cat.codes.to_numpy(dtype=np.int64).tobytes())
        else:
            h.update(col.to_numpy(dtype=np.float64, na_value=np.nan).tobytes())
    return h.hexdigest()


def test_a_seed_draws_the_same_cohort_as_before_the_numbers_became_data():
    # Digest computed with the Python constants of bonemets/cohort.py before this move; a
    # deliberate change of a prevalence changes it (update it then, saying so in the commit).
    assert _digest(synthetic(2_000, seed=11, unknown_rate=0.0)) == (
        "21c021d48ce2d17d50a0da376cfdcbd8da0aa3de341cb1d74e6c3149ec196fd9")
