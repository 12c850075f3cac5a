"""The types every table of ``data/scores`` shares: ids, text, and citations of a source's section."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from ..datafiles import BAND_PATTERN, IDENT_PATTERN, StrictModel

Ident = Annotated[StrictStr, Field(pattern=IDENT_PATTERN)]
BandId = Annotated[StrictStr, Field(pattern=BAND_PATTERN)]
Text = Annotated[StrictStr, Field(min_length=2)]


class TableCitation(StrictModel):
    """A source id of ``data/knowledge/sources`` and the section of it a table follows."""

    source: Ident
    section: Text


Cited = Annotated[list[TableCitation], Field(min_length=1)]
