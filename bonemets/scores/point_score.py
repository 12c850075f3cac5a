"""Point scores in ``data/scores`` (Mirels, SINS, Tokuhashi): items, their points, and bands of the total."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictStr, model_validator

from ..datafiles import StrictModel
from .table_types import BandId, Cited, Ident, Text


class Step(StrictModel):
    """A step of a counted item: ``points`` for a count of at least ``count``."""

    count: int = Field(ge=0)
    points: int = Field(ge=0)


class GivenAs(StrictModel):
    """Another scale a counted item may be given in: each of its grades stands for a range of the
    item's count (where published conversions differ, the range they span together).

    Attributes
    ----------
    argument : str
        The keyword argument the score function takes it as.
    name : str
        The scale, in words.
    ranges : dict of str to [int, int]
        Per grade (written as text: ``"0"``), the least and greatest count it stands for.
    note : str
        Where the conversions come from and how they differ, added to a result's notes (source
        ids in brackets).
    """

    argument: Ident
    name: Text
    note: Text
    ranges: Annotated[dict[Annotated[StrictStr, Field(pattern=r"^[0-9]+$")], tuple[int, int]], Field(min_length=1)]
    sources: Cited

    @model_validator(mode="after")
    def _ordered(self) -> GivenAs:
        for grade, (least, most) in self.ranges.items():
            if least > most:
                raise ValueError(f"'ranges': grade {grade} goes from {least} down to {most}; give the least first")
        return self


class OpenUnless(StrictModel):
    """A yes/no case field and the value it must be known to have (see :class:`Item`)."""

    field: Ident
    equals: bool


class Item(StrictModel):
    """One item of a point score: points by category, or by steps of a count.

    Attributes
    ----------
    label : str or None
        The item in words, for scores computed as derived numbers (shown with its points).
    field : str or None
        The case field holding the category, for scores computed as derived numbers.
    points : dict of str to int or None
        Points per category, in the order the categories are listed.
    at_least : list of Step or None
        Steps of a count, highest count first: the first step the count reaches gives its
        points.
    aliases : dict of str to str
        Other spellings accepted for a category.
    levels : dict of str to list of str
        For a category that is read off a vertebral level (SINS location): the levels of each
        category, ``"O"`` for the occiput.
    given_as : GivenAs or None
        Another scale a counted item may be given in (Tokuhashi's Karnofsky item as ECOG).
    categories : dict of str to list of str or None
        For a score computed as a derived number whose case ``field`` is coarser than the item:
        per value of the case field (``"true"``/``"false"`` for a yes/no field), the item's
        categories it may stand for; the item's points are then a range over them (Tokuhashi's
        primary site from ``primary``: ``other`` may be any site the score lists apart).
    open_unless : OpenUnless or None
        For an item read from a case field: another field that must hold a value for the
        ``categories`` to apply; elsewhere the item may be any category (Tokuhashi's Frankel E
        needs no bladder or bowel problem as well as no weakness).
    lesions : {"in_spine", "outside_spine"} or None
        For a counted item read from ``bone_lesion_count``: the lesions in the spine or outside
        it, split between the two as the bone sites allow (Tokuhashi's vertebral and
        extraspinal metastases).
    """

    label: Text | None = None
    field: Ident | None = None
    points: dict[StrictStr, Annotated[int, Field(ge=0)]] | None = None
    at_least: list[Step] | None = None
    aliases: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    levels: dict[StrictStr, list[Annotated[StrictStr, Field(pattern=r"^(O|[CTLS][1-9][0-9]?)$")]]] | None = None
    given_as: GivenAs | None = None
    categories: dict[StrictStr, Annotated[list[StrictStr], Field(min_length=1)]] | None = None
    open_unless: OpenUnless | None = None
    lesions: Literal["in_spine", "outside_spine"] | None = None
    sources: Cited

    @model_validator(mode="after")
    def _one_kind(self) -> Item:
        if (self.points is None) == (self.at_least is None):
            raise ValueError("an item has exactly one of 'points' (by category) or 'at_least' (by count)")
        if self.at_least is not None:
            counts = [s.count for s in self.at_least]
            if not counts or counts != sorted(set(counts), reverse=True):
                raise ValueError(f"'at_least' steps must have distinct counts, highest first; got {counts}")
        if self.levels is not None:
            if self.points is None or list(self.levels) != list(self.points):
                raise ValueError(f"'levels' must list the levels of every category, in the order of 'points': "
                                 f"{', '.join(self.points or [])}; got {', '.join(self.levels)}")
            listed = [level for levels in self.levels.values() for level in levels]
            if len(listed) != len(set(listed)):
                twice = sorted({v for v in listed if listed.count(v) > 1})
                raise ValueError(f"'levels': each level belongs to one category; listed twice: {', '.join(twice)}")
        if self.given_as is not None and self.at_least is None:
            raise ValueError("'given_as' is for an item counted by 'at_least'")
        if self.categories is not None:
            if self.points is None or self.field is None:
                raise ValueError("'categories' is for an item with 'points' read from a case 'field'")
            unknown = sorted({c for cs in self.categories.values() for c in cs} - set(self.points))
            if unknown:
                raise ValueError(f"'categories': {', '.join(unknown)} not a category; allowed: "
                                 f"{', '.join(self.points)}")
        if self.open_unless is not None and self.categories is None:
            raise ValueError("'open_unless' is for an item read through 'categories'")
        if self.lesions is not None and (self.at_least is None or self.field != "bone_lesion_count"):
            raise ValueError("'lesions' is for an item counted by 'at_least' from field 'bone_lesion_count'")
        for alias, target in self.aliases.items():
            if self.points is None or target not in self.points:
                raise ValueError(f"alias {alias!r} names {target!r}, which is not a category; "
                                 f"allowed: {', '.join(self.points or [])}")
        return self

    @property
    def lowest(self) -> int:
        """The fewest points the item gives."""
        values = self.points.values() if self.points is not None else [s.points for s in self.at_least or []]
        return min(values)

    @property
    def highest(self) -> int:
        """The most points the item gives."""
        values = self.points.values() if self.points is not None else [s.points for s in self.at_least or []]
        return max(values)

    @property
    def lowest_count(self) -> int:
        """The smallest count a counted item accepts."""
        return min(s.count for s in self.at_least or [])

    def points_for_range(self, least: int, most: int) -> tuple[int, int]:
        """The fewest and most points of a counted item over the counts ``least`` to ``most``
        (the points change only where a step starts, so its ends and the steps inside decide)."""
        counts = [least, most, *(s.count for s in self.at_least or [] if least < s.count <= most)]
        points = [self.points_for_count(c) for c in counts]
        return min(points), max(points)

    def points_for_count(self, count: int) -> int:
        """Points of a counted item for a count (at least :attr:`lowest_count`)."""
        for step in self.at_least or []:
            if count >= step.count:
                return step.points
        raise ValueError(f"count {count} is below the lowest step {self.lowest_count}")


class Band(StrictModel):
    """A band of totals, ``min`` to ``max`` inclusive, and what it means."""

    id: BandId
    min: int
    max: int
    text: Text

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise ValueError(f"band {self.id!r}: min {self.min} is above max {self.max}")
        return self


class DerivedSpec(StrictModel):
    """The derived number a point score is also computed as, for rules to compare, and what a
    reader is told with it (``note``, optional)."""

    name: Ident
    description: Text
    note: Text | None = None


class PointScore(StrictModel):
    """A score summed from item points, with bands of the total."""

    kind: Literal["point_score"]
    id: Ident
    name: Text
    unit: Literal["points"]
    derived: DerivedSpec | None = None
    sources: Cited
    items: Annotated[dict[Ident, Item], Field(min_length=1)]
    bands: Annotated[list[Band], Field(min_length=1)]
    band_sources: Cited

    @model_validator(mode="after")
    def _bands_cover_totals(self) -> PointScore:
        ids = [b.id for b in self.bands]
        if len(ids) != len(set(ids)):
            raise ValueError(f"field 'bands': band ids must be distinct; got {ids}")
        low = sum(i.lowest for i in self.items.values())
        high = sum(i.highest for i in self.items.values())
        edges = [(b.min, b.max) for b in self.bands]
        expected_next = low
        for b in self.bands:
            if b.min != expected_next:
                raise ValueError(f"field 'bands': bands must cover every total from {low} to {high} in order, without "
                                 f"gaps or overlaps; band {b.id!r} starts at {b.min}, expected "
                                 f"{expected_next} (bands: {edges})")
            expected_next = b.max + 1
        if expected_next != high + 1:
            raise ValueError(f"field 'bands': bands must end at the highest total, {high}; they end at "
                             f"{expected_next - 1}")
        return self

    def band(self, total: int) -> Band:
        """The band a total falls in."""
        for b in self.bands:
            if b.min <= total <= b.max:
                return b
        raise ValueError(f"{self.name}: total {total} is outside every band")

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The table's source ids, in order."""
        return tuple(c.source for c in self.sources)
