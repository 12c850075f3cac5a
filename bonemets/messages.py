"""Values as error messages show them: one printable line, cut to a readable length."""

from __future__ import annotations

from typing import Any

#: Longest value shown in a message, in characters.
LIMIT = 80


def shown(value: Any, limit: int = LIMIT) -> str:
    """``repr(value)`` with control characters escaped, cut to ``limit`` characters.

    Examples
    --------
    >>> shown("peri")
    "'peri'"
    >>> shown("x" * 200)[-12:]
    "xxxxxxxxxx…'"
    >>> shown("a\\x1b[31mred")
    "'a\\\\x1b[31mred'"
    """
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in repr(value))
    if len(text) <= limit:
        return text
    quote = text[0] if text[0] in "'\"" else ""
    return text[: limit - 1 - len(quote)] + "…" + quote
