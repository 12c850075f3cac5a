"""The exceptions bonemets raises; every one derives from :class:`BonemetsError`."""

from __future__ import annotations


class BonemetsError(Exception):
    """Base class of every error bonemets raises on purpose."""


class InvalidCaseError(BonemetsError, ValueError):
    """A case field has a value that is not allowed, or two fields contradict each other.

    The message is one line that names the field(s), the value given and the values allowed.

    Attributes
    ----------
    fields : tuple of str
        The case fields at fault.
    row : object or None
        The row label, when the error comes from a cohort.
    """

    def __init__(self, message: str, fields: tuple[str, ...] = (), row: object = None) -> None:
        super().__init__(message)
        self.fields = tuple(fields)
        self.row = row


class KnowledgeError(BonemetsError, ValueError):
    """The knowledge base in ``data/knowledge`` is malformed.

    The message names the file, the entry and what is allowed.
    """


class ScoreInputError(BonemetsError, ValueError):
    """An argument of a score function is not allowed.

    The message names the function, the argument, the value given and the values allowed.
    """


class DataTableError(BonemetsError, ValueError):
    """A clinical table in ``data/scores`` or the cohort prevalences in ``data/cohort`` are
    malformed.

    The message names the file, the entry and what is allowed.
    """
