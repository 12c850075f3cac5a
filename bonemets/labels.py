"""Case fields and values as a reader says them (``calcium_mmol_l`` -> ``Calcium (mmol/L)``).

Used by the explorer and the knowledge reference; needs no optional extra.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from .datafiles import data_dir, load_model


class FieldWords(BaseModel):
    """How one case field is said: a short label, and the question that settles it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    question: str


@cache
def field_words() -> dict[str, FieldWords]:
    """``data/words/fields.yaml``: every case field's label and question (checked complete).

    Raises
    ------
    DataTableError
        Naming the file and the field missing or unknown.
    """
    from .case import FIELDS
    from .exceptions import DataTableError

    path = data_dir() / "words" / "fields.yaml"
    words: dict[str, FieldWords] = load_model(path, dict[str, FieldWords])
    missing, extra = set(FIELDS) - set(words), set(words) - set(FIELDS)
    if missing or extra:
        what = (f"no words for case field '{sorted(missing)[0]}'" if missing
                else f"'{sorted(extra)[0]}' is not a case field")
        raise DataTableError(f"{path}: {what}")
    return words


def field_question(name: str) -> str:
    """The question that settles a case field, in plain words.

    >>> field_question("neurological_deficit")
    'Is there weakness, numbness, tingling or difficulty walking?'
    """
    return field_words()[name].question

_ACRONYMS = {"er": "ER", "pr": "PR", "her2": "HER2", "cdk46": "CDK4/6", "sins": "SINS"}
_UNITS = {"mmol_l": "mmol/L", "umol_l": "\u00b5mol/L", "g_l": "g/L", "kg": "kg", "ml_min": "mL/min"}


def field_label(name: str) -> str:
    """A field name as a reader says it.

    >>> field_label("calcium_mmol_l"), field_label("her2"), field_label("prior_cdk46_inhibitor")
    ('Calcium (mmol/L)', 'HER2', 'Prior CDK4/6 inhibitor')
    """
    unit = ""
    for suffix, text in _UNITS.items():
        if name.endswith("_" + suffix):
            name, unit = name[: -len(suffix) - 1], f" ({text})"
            break
    words = [_ACRONYMS.get(w, w) for w in name.split("_")]
    first = words[0] if words[0] in _ACRONYMS.values() else words[0].capitalize()
    return " ".join([first, *words[1:]]) + unit


def value_text(value: Any) -> str:
    """A field value as text: ``unknown`` for None, ``yes``/``no`` for booleans, lists joined.

    >>> value_text(None), value_text(True), value_text([]), value_text(["spine", "ribs"]), value_text(2.5)
    ('unknown', 'yes', 'none', 'spine, ribs', '2.5')
    """
    if value is None or value == "unknown":
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
