"""Case fields and values as a reader says them (``calcium_mmol_l`` -> ``Calcium (mmol/L)``,
``er: positive`` -> ``ER positive``).

The words are data: ``data/words/fields.yaml`` (each field's label and question) and
``data/words/facts.yaml`` (how a known fact reads as a phrase). Every surface (the text report,
the cards, the handout, the explorer and the figures) says facts through :func:`fact_words`.
Needs no optional extra.
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


class FactPhrases(BaseModel):
    """How the known values of one case field read (an entry of ``data/words/facts.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    values: dict[str, str] = {}
    number: str | None = None
    one: str | None = None
    items: dict[str, str] = {}


@cache
def fact_phrases() -> dict[str, FactPhrases]:
    """``data/words/facts.yaml``, checked against the case fields and their allowed values.

    Raises
    ------
    DataTableError
        Naming the file, the field and the value that is not allowed.
    """
    from .case import FIELDS
    from .exceptions import DataTableError

    path = data_dir() / "words" / "facts.yaml"
    phrases: dict[str, FactPhrases] = load_model(path, dict[str, FactPhrases])
    for name, entry in phrases.items():
        spec = FIELDS.get(name)
        if spec is None:
            raise DataTableError(f"{path}: '{name}' is not a case field")
        allowed = {"bool": {"yes", "no"}, "list": {"none"}}.get(spec.kind, set(spec.allowed))
        wrong = [v for v in entry.values if v not in allowed] + [v for v in entry.items if v not in spec.allowed]
        if wrong:
            raise DataTableError(f"{path}: {name}: '{wrong[0]}' is not a value of {name}; "
                                 f"allowed: {', '.join(sorted(allowed | set(entry.items and spec.allowed)))}")
        if entry.number is not None and (spec.kind not in ("int", "float") or "{}" not in entry.number):
            raise DataTableError(f"{path}: {name}: 'number' is for a number field and holds {{}} for the value")
        if entry.one is not None and entry.number is None:
            raise DataTableError(f"{path}: {name}: 'one' (the phrase for the value 1) needs 'number'")
    return phrases


def field_name(name: str) -> str:
    """A case field or computed number as said inside a sentence (lower case, units kept).

    >>> field_name("er"), field_name("creatinine_clearance_ml_min"), field_name("sins_score")
    ('oestrogen receptor (ER)', 'creatinine clearance (mL/min)', 'SINS score')
    """
    words = field_words().get(name)
    if words is not None:
        return words.label
    label = field_label(name)
    return label if name.split("_")[0] in _ACRONYMS else label[0].lower() + label[1:]


def item_words(name: str, value: Any) -> str:
    """One value of a choice or list field in words (``upper_arm`` -> ``upper arm``)."""
    entry = fact_phrases().get(name)
    if entry is not None and value in entry.items:
        return entry.items[value]
    return str(value).replace("_", " ")


def _number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def shown_number(x: float) -> float:
    """A number as a case's facts and notes show it: to 2 decimals, or to as many more as keep it off a
    whole number that it is not. The one number the engine compares unrounded, creatinine clearance,
    is compared only with whole numbers (30, 60 and the dose bands' edges), so the value shown sits on
    the same side of each as the value compared: 29.995 mL/min is under 30 and is shown as 29.995, not
    30 (``tests/test_dosing.py`` checks that the thresholds stay whole).

    >>> shown_number(52.0833), shown_number(29.99518), shown_number(30.0), shown_number(52.098)
    (52.08, 29.995, 30.0, 52.1)
    """
    for digits in range(2, 10):
        shown = round(x, digits)
        if shown == x or shown != round(shown):
            return shown
    return x


def fact_words(name: str, value: Any) -> str:
    """A known fact as a phrase: the field and its value in words, with units.

    Parameters
    ----------
    name : str
        A case field or a computed number (``creatinine_clearance_ml_min``).
    value : object
        Its known value (a string, a number, a bool or a list).

    Examples
    --------
    >>> fact_words("er", "positive"), fact_words("creatinine_clearance_ml_min", 29.0)
    ('ER positive', 'creatinine clearance 29 mL/min')
    >>> fact_words("back_pain", False), fact_words("bone_sites", ["spine", "upper_leg"])
    ('no back pain', 'bones involved: spine, upper leg')
    """
    entry = fact_phrases().get(name, FactPhrases())
    label = field_name(name)
    if isinstance(value, bool):
        key = "yes" if value else "no"
        return entry.values.get(key, label if value else f"no {label}")
    if isinstance(value, (int, float)):
        if entry.one is not None and value == 1:
            return entry.one
        if entry.number is not None:
            return entry.number.format(_number(value))
        what, _, unit = label.partition(" (")
        return f"{what} {_number(value)} {unit.rstrip(')')}" if unit else f"{label}: {_number(value)}"
    if isinstance(value, (list, tuple)):
        if not value:
            return entry.values.get("none", f"{label}: none")
        return f"{label}: {', '.join(item_words(name, v) for v in value)}"
    return entry.values.get(str(value), f"{label}: {item_words(name, value)}")


def field_question(name: str) -> str:
    """The question that settles a case field, in plain words.

    >>> field_question("neurological_deficit")
    'Is there weakness, numbness, tingling or difficulty walking?'
    """
    return field_words()[name].question

_ACRONYMS = {"er": "ER", "pr": "PR", "her2": "HER2", "cdk46": "CDK4/6", "sins": "SINS", "mirels": "Mirels'",
             "brca": "BRCA", "cps": "CPS", "l1": "L1"}
_UNITS = {"mmol_l": "mmol/L", "umol_l": "\u00b5mol/L", "g_l": "g/L", "kg": "kg", "ml_min": "mL/min",
          "e9_l": "\u00d710\u2079/L"}
#: Words that are one term when they come together (``pd_l1`` is PD-L1, not "Pd L1").
_TERMS = {"pd_l1": "PD-L1"}


def bounds_text(name: str, bounds: tuple[float, float], unknown: tuple[str, ...] = ()) -> str:
    """A number known only within bounds, in words: a computed number whatever its unknown inputs,
    or an unknown number field that implied facts bound.

    >>> bounds_text("corrected_calcium_mmol_l", (3.2, 4.1), ("albumin_g_l",))
    'whatever the albumin, corrected calcium is 3.2 to 4.1 mmol/L'
    >>> bounds_text("sins_score", (13, 16), ("spinal_alignment",))
    'whatever the spinal alignment, SINS score is 13 to 16'
    >>> bounds_text("bone_lesion_count", (3, 1000))
    'bone lesion count is at least 3'
    """
    from .case import FIELDS

    def words(field: str) -> tuple[str, str]:
        label = field_label(field)
        name, _, unit = label.partition(" (")
        return (name if name.isupper() or name.split()[0].isupper() else name[0].lower() + name[1:]), (
            " " + unit.rstrip(")") if unit else "")

    what, unit = words(name)
    if not unknown:  # a field bounded by implied facts: most often only from below
        most = FIELDS[name].plausible[1] if name in FIELDS else None
        return f"{what} is at least {bounds[0]:g}{unit}" if bounds[1] == most else (
            f"{what} is {bounds[0]:g} to {bounds[1]:g}{unit}")
    inputs = " and the ".join(words(f)[0] for f in unknown)
    return f"whatever the {inputs}, {what} is {bounds[0]:g} to {bounds[1]:g}{unit}"


def field_label(name: str) -> str:
    """A field name as a reader says it.

    >>> field_label("calcium_mmol_l"), field_label("her2"), field_label("prior_cdk46_inhibitor")
    ('Calcium (mmol/L)', 'HER2', 'Prior CDK4/6 inhibitor')
    >>> field_label("pd_l1_cps"), field_label("platelets_e9_l"), field_label("germline_brca")
    ('PD-L1 CPS', 'Platelets (×10⁹/L)', 'Germline BRCA')
    """
    unit = ""
    for suffix, text in _UNITS.items():
        if name.endswith("_" + suffix):
            name, unit = name[: -len(suffix) - 1], f" ({text})"
            break
    for term, text in _TERMS.items():
        name = name.replace(term, text)
    words = [_ACRONYMS.get(w, w) for w in name.split("_")]
    first = words[0] if words[0] in (*_ACRONYMS.values(), *_TERMS.values()) else words[0].capitalize()
    return " ".join([first, *words[1:]]) + unit


def value_text(value: Any) -> str:
    """A field value as text: ``unknown`` for None, ``yes``/``no`` for booleans, lists joined, ids
    with spaces (``upper_arm`` -> ``upper arm``).

    >>> value_text(None), value_text(True), value_text([]), value_text(["spine", "upper_arm"]), value_text(2.5)
    ('unknown', 'yes', 'none', 'spine, upper arm', '2.5')
    """
    if value is None or value == "unknown":
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("_", " ")
