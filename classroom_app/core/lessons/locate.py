"""Finds the line in lesson.toml that a problem is about.

tomllib gives values but not positions, so this reads the text itself: the n-th
``[[steps]]`` header, the m-th ``[[steps.questions]]`` under it, and ``key =`` lines
inside such a block. Good enough to send a teacher to the right place.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\- ]+?)\s*\]\]?\s*(#.*)?$")


class TomlLocator:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if match:
                self.headers.append((number, match.group(1).replace(" ", "")))

    def _block(self, index: int | None, question: int | None) -> tuple[int, int]:
        """First and last line of the whole file, a step, or a step's question."""
        if index is None:
            first = self.headers[0][0] - 1 if self.headers else len(self.lines)
            return 1, max(first, 1)
        steps = [n for n, name in self.headers if name == "steps"]
        if index >= len(steps):
            return 1, len(self.lines)
        start = steps[index]
        end = steps[index + 1] - 1 if index + 1 < len(steps) else len(self.lines)
        if question is None:
            nested = [n for n, name in self.headers if start < n <= end and name != "steps"]
            return start, (nested[0] - 1 if nested else end)
        questions = [n for n, name in self.headers
                     if start < n <= end and name == "steps.questions"]
        if question >= len(questions):
            return start, end
        q_start = questions[question]
        later = [n for n, _ in self.headers if n > q_start]
        q_end = min(later[0] - 1, end) if later else end
        return q_start, q_end

    def line(self, key: str | None = None, step: int | None = None,
             question: int | None = None) -> int:
        """The line of ``key`` in the given block, else the block's first line."""
        start, end = self._block(step, question)
        if key:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for number in range(start, end + 1):
                if number - 1 < len(self.lines) and pattern.match(self.lines[number - 1]):
                    return number
            table = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*\]")
            for number, text in enumerate(self.lines, start=1):
                if table.match(text):
                    return number
        return start
