"""Writing for a terminal: columns that line up with Chinese text, and a quiet end when
the program reading our output (``head``, ``more``) stops early.

A Chinese character takes two columns of a terminal (East Asian "wide"), so padding by
``len`` leaves every name after it out of line; :func:`table_lines` pads by display
width instead.
"""

from __future__ import annotations

import functools
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` filled with spaces to ``width`` columns (on the left when ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table_lines(header: Sequence[str], rows: Sequence[Sequence[str]],
                right: Sequence[int] = ()) -> list[str]:
    """The header and rows as lines of aligned columns, two spaces apart; the columns
    numbered in ``right`` are aligned to the right (figures)."""
    widths = [max(display_width(str(row[i])) for row in [header, *rows])
              for i in range(len(header))]
    return ["  ".join(pad(str(cell), widths[i], i in right) for i, cell in enumerate(row))
            .rstrip() for row in [header, *rows]]


def ends_quietly(main: Callable[..., int]) -> Callable[..., int]:
    """Wrap a command's ``main`` so that a reader leaving early (``| head -1``) ends it
    quietly with exit code 0 instead of a BrokenPipeError traceback."""

    @functools.wraps(main)
    def run(*args: object, **kwargs: object) -> int:
        try:
            code = main(*args, **kwargs)
            sys.stdout.flush()  # here, not at exit, where the error could not be caught
            return code
        except BrokenPipeError:
            # Python flushes stdout again at exit: point it at nothing first.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0

    return run
