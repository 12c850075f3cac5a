"""The result type every score and dosing function returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ScoreResult:
    """The value of a clinical score or dosing rule, its band and the basis for it.

    Attributes
    ----------
    name : str
        The score, e.g. ``"Mirels score"``.
    value : float or int or None
        The score or computed quantity, in ``unit``. ``None`` only where no value applies
        (a dose that is not recommended).
    band : str
        Short machine id of the band the value falls in, e.g. ``"fixation_recommended"``.
    interpretation : str
        One plain sentence saying what the band means.
    inputs : dict
        The inputs as used, including any parameter choice (which weight, which size
        definition, which upper limit of normal, the rounding rule).
    sources : tuple of str
        Source ids from ``data/knowledge/sources/scores.yaml``.
    notes : tuple of str
        Caveats: where sources disagree, reliability limits.
    unit : str
        Unit of ``value`` (``"points"``, ``"mmol/L"``, ``"mL/min"``, ``"mg"``).
    decimals : int
        Decimals shown by ``str()``; ``value`` itself is never rounded.
    bounds : (number, number) or None
        Where an input was given only as a range (the Tokuhashi score from ECOG instead of
        Karnofsky): the least and greatest value over it, ``value`` then being ``None`` and
        ``band`` naming the bands of both ends. ``None`` when the value is exact.
    """

    name: str
    value: float | int | None
    band: str
    interpretation: str
    inputs: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    unit: str = ""
    decimals: int = 0
    bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        # Copy the mutable inputs so that a caller's dict cannot change a result later.
        object.__setattr__(self, "inputs", dict(self.inputs))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def display_value(self) -> str:
        """``value`` as text, with ``decimals`` decimals and the unit."""
        if self.bounds is not None:
            return f"{self.bounds[0]}–{self.bounds[1]} {self.unit}".rstrip()
        if self.value is None:
            return "none"
        if isinstance(self.value, float):
            text = f"{self.value:.{self.decimals}f}"
        else:
            text = str(self.value)
        return f"{text} {self.unit}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (for ``pandas.DataFrame`` rows or JSON)."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"{self.name}: {self.display_value} [{self.band}]",
            f"  {self.interpretation}",
            "  sources: " + (", ".join(self.sources) or "none"),
        ]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)
