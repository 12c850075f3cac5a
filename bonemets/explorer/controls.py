"""One ipywidgets control per case field, built from :data:`bonemets.FIELDS`.

Every control can say "unknown":

- enum: a dropdown whose first choice is ``unknown``;
- bool: three toggle buttons ``unknown`` / ``yes`` / ``no``;
- int and float: a text box, empty = unknown, the allowed range in its description;
- list: a multi-select plus an ``unknown`` check box (nothing selected and not unknown = none).

Each control reads back a field value (None for unknown) or a one-line error, and can be set
from a case value. Each widget carries the CSS classes ``bm-field`` and ``bm-field-<name>`` so a
browser test can find it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..case import FIELDS, FieldSpec
from ..labels import field_label

UNKNOWN = "unknown"
_BOOL = {UNKNOWN: None, "yes": True, "no": False}
_DESCRIPTION_WIDTH = "168px"

#: Field groups of the explorer, in order; every field not named here goes to "History".
GROUPS: dict[str, tuple[str, ...]] = {
    "Cancer": ("primary", "sex", "age", "menopause", "er", "pr", "her2", "triple_negative"),
    "Extent": ("bone_sites", "bone_lesion_count", "visceral_metastases", "bone_marrow_involvement",
               "long_bone_lesion_site", "long_bone_lesion_type", "long_bone_lesion_size",
               "spinal_location", "spinal_lesion_type", "spinal_alignment", "vertebral_collapse",
               "posterolateral_involvement"),
    "Symptoms": ("bone_pain", "pathological_fracture", "back_pain", "neurological_deficit",
                 "bladder_bowel_dysfunction", "hypercalcaemia_symptoms", "blood_clot_symptoms",
                 "long_bone_pain", "spinal_pain"),
    "Labs": ("calcium_mmol_l", "albumin_g_l", "creatinine_umol_l", "weight_kg"),
    "Prior treatment": ("prior_endocrine_therapy", "endocrine_resistance", "prior_cdk46_inhibitor",
                        "prior_chemotherapy", "months_since_chemotherapy", "prior_radiotherapy_sites",
                        "on_bone_strengthening"),
}


def field_groups() -> dict[str, list[str]]:
    """Every field of :data:`FIELDS` in exactly one group (History takes the rest)."""
    groups = {g: [f for f in names if f in FIELDS] for g, names in GROUPS.items()}
    placed = {f for names in groups.values() for f in names}
    groups["History"] = [f for f in FIELDS if f not in placed]
    return {g: names for g, names in groups.items() if names}


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class FieldControl:
    """The widget(s) for one case field.

    Attributes
    ----------
    spec : FieldSpec
    widget : ipywidgets.Widget
        What to put in a layout.
    input : ipywidgets.Widget
        The widget whose ``value`` a user changes (for lists, also ``unknown_box``).
    """

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.name = spec.name
        label = field_label(spec.name)
        style = {"description_width": _DESCRIPTION_WIDTH}
        tooltip = spec.description.replace("`", "") or label
        full = widgets.Layout(width="98%")
        self.unknown_box: widgets.Checkbox | None = None
        if spec.kind == "enum":
            options = [(UNKNOWN, UNKNOWN)] + [(v.replace("_", " "), v) for v in spec.allowed]
            self.input = widgets.Dropdown(options=options, value=UNKNOWN, description=label,
                                          style=style, layout=full, tooltip=tooltip)
            self.widget = self.input
        elif spec.kind == "bool":
            self.input = widgets.ToggleButtons(options=list(_BOOL), value=UNKNOWN, description=label,
                                               tooltips=[f"{label}: {o}" for o in _BOOL],
                                               style={**style, "button_width": "64px"},
                                               layout=widgets.Layout(width="98%"))
            self.widget = self.input
        elif spec.kind in ("int", "float"):
            unit = "whole number, " if spec.kind == "int" else ""
            rng = f"{spec.ge:g}\u2013{spec.le:g}"
            self.input = widgets.Text(value="", placeholder=f"unknown ({unit}{rng})",
                                      description=f"{label} [{rng}]", style=style, layout=full,
                                      tooltip=f"{tooltip}. Empty = unknown; allowed {spec.allowed_text()}.",
                                      continuous_update=False)
            self.widget = self.input
        elif spec.kind == "list":
            self.input = widgets.SelectMultiple(options=[(v.replace("_", " "), v) for v in spec.allowed],
                                                value=(), rows=min(len(spec.allowed), 7),
                                                description=label, style=style, tooltip=tooltip,
                                                layout=widgets.Layout(width="70%"), disabled=True)
            self.unknown_box = widgets.Checkbox(value=True, description=UNKNOWN, indent=False,
                                                layout=widgets.Layout(width="90px"))
            self.unknown_box.add_class(f"bm-unknown-{spec.name}")
            self.widget = widgets.HBox([self.input, self.unknown_box], layout=full)
        else:  # pragma: no cover - FIELDS has only these kinds
            raise ValueError(f"no control for field kind {spec.kind!r}")
        self.widget.add_class("bm-field")
        self.widget.add_class(f"bm-field-{spec.name}")
        if self.widget is not self.input:
            self.input.add_class(f"bm-input-{spec.name}")

    def observe(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback(change)`` whenever the user changes this field."""
        self.input.observe(callback, names="value")
        if self.unknown_box is not None:
            self.unknown_box.observe(callback, names="value")
            self.unknown_box.observe(self._sync_disabled, names="value")

    def _box(self) -> widgets.Checkbox:
        """The ``unknown`` check box of a list field."""
        if self.unknown_box is None:  # pragma: no cover - only list fields read it
            raise TypeError(f"{self.name}: only a list field has an unknown box")
        return self.unknown_box

    def _sync_disabled(self, change: dict[str, Any] | None = None) -> None:
        self.input.disabled = bool(self._box().value)

    def read(self) -> tuple[Any, str | None]:
        """The field value shown (None for unknown) and a one-line error, or None."""
        kind, value = self.spec.kind, self.input.value
        if kind == "enum":
            return (None if value == UNKNOWN else value), None
        if kind == "bool":
            return _BOOL[value], None
        if kind == "list":
            return (None if self._box().value else list(value)), None
        text = value.strip().replace(",", ".")
        if not text or text.lower() == UNKNOWN:
            return None, None
        try:
            number = float(text)
        except ValueError:
            return None, (f"{self.name}: {value.strip()!r} is not a number; allowed: "
                          f"{self.spec.allowed_text()}, or empty for unknown")
        if kind == "int":
            if not number.is_integer():
                return None, (f"{self.name}: {value.strip()!r} is not a whole number; "
                              f"allowed: {self.spec.allowed_text()}")
            return int(number), None
        return number, None

    def write(self, value: Any) -> None:
        """Show a case value (None or ``"unknown"`` for unknown)."""
        kind = self.spec.kind
        if value == UNKNOWN:
            value = None
        if kind == "enum":
            self.input.value = UNKNOWN if value is None else value
        elif kind == "bool":
            self.input.value = UNKNOWN if value is None else ("yes" if value else "no")
        elif kind == "list":
            self._box().value = value is None
            self.input.value = tuple(value or ())
            self._sync_disabled()
        else:
            self.input.value = _number_text(value)

    def set_text(self, text: str) -> None:
        """Type into a number box, as a user does (any text, valid or not)."""
        self.input.value = text

    def mark_invalid(self, invalid: bool) -> None:
        """Highlight the control when its value is rejected."""
        (self.widget.add_class if invalid else self.widget.remove_class)("bm-invalid")


def make_controls() -> dict[str, FieldControl]:
    """One control per field of :data:`FIELDS`, in field order."""
    return {name: FieldControl(spec) for name, spec in FIELDS.items()}
