"""Writing for a terminal: columns that line up with Chinese text, a quiet end when the
program reading our output (``head``, ``more``) stops early, and nothing from a pack or
a record that drives the terminal.

A Chinese character takes two columns of a terminal (East Asian "wide"), so padding by
``len`` leaves every name after it out of line; :func:`table_lines` pads by display
width instead.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TextIO

# What a terminal acts on instead of showing: control characters but newline and tab
# (escape sequences clear the screen, retitle the window, fake a prompt; carriage return
# overwrites the line), DEL, the C1 controls (\x9b starts a sequence on some terminals),
# and the bidi controls that reorder the rest of the line ("Trojan Source" names).
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` without terminal control and bidi-override characters."""
    return _TERMINAL_CONTROL.sub("", text)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two."""
    return sum(0 if unicodedata.combining(c) or _TERMINAL_CONTROL.match(c) else
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


class _SafeStream:
    """A text stream that writes through :func:`terminal_safe`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def prints_safely(main: Callable[..., int]) -> Callable[..., int]:
    """Wrap a command's ``main`` so that everything it prints (lesson titles, class and
    pupil names, device names: text from packs and records) goes through
    :func:`terminal_safe`. One place for every ``print`` of the command."""

    @functools.wraps(main)
    def run(*args: object, **kwargs: object) -> int:
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)
        try:
            return main(*args, **kwargs)
        finally:
            sys.stdout, sys.stderr = out, err

    return run
