"""The distributions synthetic cohorts are drawn from (``data/cohort/prevalences.yaml``).

Every parameter is cited (a source id of ``data/knowledge/sources``, the section, and what of
the parameter the source supports) or marked illustrative, or both. The file is validated at
import: a malformed one fails naming the file, the entry and what is allowed.
:func:`bonemets.cohort.synthetic` draws from :data:`PREVALENCES`.
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import Field, StrictStr, model_validator

from .case import FIELDS
from .datafiles import StrictModel, data_dir, load_model

V = TypeVar("V")
Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Ident = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[StrictStr, Field(min_length=2)]


class PrevalenceCitation(StrictModel):
    """A source, the section used, and what of the parameter it supports."""

    source: Ident
    section: Text
    supports: Text


class Parameter(StrictModel, Generic[V]):
    """One parameter of the synthetic cohort: its value and its basis."""

    value: V
    illustrative: bool
    sources: list[PrevalenceCitation] = Field(default_factory=list)
    note: Text | None = None

    @model_validator(mode="after")
    def _has_basis(self) -> Parameter[V]:
        if not self.illustrative and not self.sources:
            raise ValueError("a parameter is marked 'illustrative: true' or cites at least one source")
        return self


class SiteCombination(StrictModel):
    """A combination of involved bone sites and its weight."""

    sites: Annotated[list[StrictStr], Field(min_length=1)]
    weight: float = Field(gt=0)


class DrugCombination(StrictModel):
    """A combination of prior endocrine drugs (possibly none) and its weight."""

    drugs: list[StrictStr]
    weight: float = Field(gt=0)


Probs = Parameter[dict[StrictStr, Prob]]
Numbers = Parameter[dict[StrictStr, float]]

#: Parameters keyed by the allowed values of a case field: (field, every value required).
_BY_FIELD_VALUE = {
    "primary": ("primary", False), "female_by_primary": ("primary", False),
    "age_mean_by_primary": ("primary", False), "her2": ("her2", False),
    "visceral_metastases": ("visceral_metastases", False), "bone_pain": ("bone_pain", False),
    "fracture_by_pain": ("bone_pain", True), "endocrine_resistance": ("endocrine_resistance", False),
    "line_of_therapy": ("line_of_therapy", True),
}
#: Parameters keyed by names of their own: exactly these keys, in this order.
_NAMED_KEYS = {
    "age_range": ("min", "max"), "menopause_ages": ("zero_at", "one_at"),
    "pr_positive_given_er": ("er_negative", "er_positive"), "discordance": ("er", "pr", "her2"),
    "back_pain": ("without_spine", "with_spine"),
    "neurological_deficit": ("otherwise", "with_spine_and_back_pain"),
    "bladder_bowel_dysfunction": ("otherwise", "with_deficit"),
    "hypercalcaemia_symptoms": ("at_most_threshold", "above_threshold"),
    "creatinine_median_umol_l": ("men", "women"), "weight_kg": ("men", "women"),
    "endocrine_by_group": ("post", "pre", "male"),
    "chemotherapy": ("not_breast", "hr_positive_breast", "hr_negative_breast"),
    "radiotherapy": ("none", "main_site", "every_site"), "de_novo": ("not_breast", "breast"),
    "years_gamma": ("not_breast", "breast"),
    "performance_status": ("0", "1", "2", "3", "4"),
    "pd_l1_cps_10_or_more": ("hr_negative_breast",),
    "platelets_e9_l": ("otherwise", "with_marrow_involvement"),
}
_INNER_KEYS = {"weight_kg": ("mean", "sd"), "years_gamma": ("shape", "scale"),
               "platelets_e9_l": ("mean", "sd")}


class Prevalences(StrictModel):
    """Every parameter :func:`bonemets.cohort.synthetic` draws from (see the data file)."""

    primary: Probs
    female_by_primary: Probs
    age_mean_by_primary: Numbers
    age_sd: Parameter[float]
    age_range: Numbers
    menopause_ages: Numbers
    er_positive: Parameter[Prob]
    pr_positive_given_er: Probs
    her2: Probs
    rebiopsy: Parameter[Prob]
    discordance: Probs
    bone_sites: Parameter[Annotated[list[SiteCombination], Field(min_length=1)]]
    extra_lesions: Parameter[Prob]
    visceral_metastases: Probs
    bone_marrow_involvement: Parameter[Prob]
    bone_pain: Probs
    fracture_by_pain: Probs
    back_pain: Probs
    neurological_deficit: Probs
    bladder_bowel_dysfunction: Probs
    hypercalcaemic: Parameter[Prob]
    ctcae_grade_2_mmol_l: Parameter[float]
    hypercalcaemia_symptoms: Probs
    creatinine_median_umol_l: Numbers
    renal_impaired: Parameter[Prob]
    weight_kg: Parameter[dict[StrictStr, dict[StrictStr, float]]]
    endocrine_by_group: Parameter[dict[StrictStr, Annotated[list[DrugCombination], Field(min_length=1)]]]
    endocrine_resistance: Probs
    cdk46_inhibitor: Parameter[Prob]
    chemotherapy: Probs
    chemotherapy_months_mean: Parameter[float]
    radiotherapy: Probs
    on_bone_strengthening: Parameter[Prob]
    de_novo: Probs
    years_gamma: Parameter[dict[StrictStr, dict[StrictStr, float]]]
    other_invasive_cancer: Parameter[Prob]
    dental_check_done: Parameter[Prob]
    could_become_pregnant: Parameter[Prob]
    performance_status: Probs
    pd_l1_cps_10_or_more: Probs
    germline_brca: Parameter[Prob]
    line_of_therapy: Probs
    platelets_e9_l: Parameter[dict[StrictStr, dict[StrictStr, float]]]
    takes_blood_thinners: Parameter[Prob]

    @model_validator(mode="after")
    def _keys(self) -> Prevalences:
        for name, (field, every) in _BY_FIELD_VALUE.items():
            keys = list(getattr(self, name).value)
            allowed = FIELDS[field].allowed
            if any(k not in allowed for k in keys) or (every and set(keys) != set(allowed)):
                need = "every one of" if every else "values among"
                raise ValueError(f"field '{name}.value': keys must be {need} the allowed values of case field "
                                 f"'{field}': {', '.join(allowed)}; got {', '.join(keys)}")
        for name, expected in _NAMED_KEYS.items():
            value = getattr(self, name).value
            if tuple(value) != expected:
                raise ValueError(f"field '{name}.value': keys must be {', '.join(expected)}, in that order; "
                                 f"got {', '.join(value)}")
            inner = _INNER_KEYS.get(name)
            for key, sub in value.items() if inner else ():
                if tuple(sub) != inner:
                    raise ValueError(f"field '{name}.value.{key}': keys must be {', '.join(inner or ())}; "
                                     f"got {', '.join(sub)}")
        self._check_lists("bone_sites", [c.sites for c in self.bone_sites.value], "bone_sites")
        self._check_lists("endocrine_by_group", [c.drugs for g in self.endocrine_by_group.value.values()
                                                 for c in g], "prior_endocrine_therapy")
        return self

    @staticmethod
    def _check_lists(name: str, lists: list[list[str]], field: str) -> None:
        allowed = FIELDS[field].allowed
        for items in lists:
            wrong = [i for i in items if i not in allowed]
            if wrong or len(set(items)) != len(items):
                raise ValueError(f"field '{name}.value': {items} must list distinct allowed values of case field "
                                 f"'{field}': {', '.join(allowed)}")


#: The distributions of :func:`bonemets.cohort.synthetic`, validated at import.
PREVALENCES: Prevalences = load_model(data_dir() / "cohort" / "prevalences.yaml", Prevalences)
