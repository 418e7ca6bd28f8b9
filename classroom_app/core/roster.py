"""Reading a class roster from a CSV file, as Excel or WPS in China saves it.

Two columns, student number and name, with or without a header row, comma-, tab- or
semicolon-separated, in UTF-8 (with or without BOM) or GBK/GB18030. Every row that
cannot be used is reported with its line number; the good rows are still offered.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from classroom_app.core.i18n import tr

_HEADER_WORDS = {"学号", "编号", "姓名", "名字", "number", "student number", "id",
                 "student id", "name", "student name", "序号"}
_NUMBER = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return tr("Line {line}: {message}").format(line=self.line, message=self.message)


@dataclass(frozen=True)
class Roster:
    rows: tuple[tuple[str, str], ...]
    problems: tuple[RosterProblem, ...]
    encoding: str


class RosterError(Exception):
    """The file cannot be read as a roster at all."""


def decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else "gbk")
        except UnicodeDecodeError:
            continue
    raise RosterError(tr("The file is neither UTF-8 nor GBK text."))


def _split(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    if delimiter == "，":
        text, delimiter = text.replace("，", ","), ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def parse_roster(data: bytes, existing_numbers: set[str] | None = None) -> Roster:
    """Parse ``data``; numbers already in the class count as duplicates."""
    if len(data) > MAX_BYTES:
        raise RosterError(tr("The file is too large for a class roster."))
    if b"\x00" in data[:1024]:
        raise RosterError(tr("This is not a CSV text file (is it an .xlsx? Save as CSV)."))
    text, encoding = decode(data)
    rows: list[tuple[str, str]] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    existing = existing_numbers or set()
    for line, cells in enumerate(_split(text), start=1):
        cells = [c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if line == 1 and cells[0].lower() in _HEADER_WORDS:
            continue
        if len(cells) < 2:
            problems.append(RosterProblem(line, tr("needs a student number and a name.")))
            continue
        if len(cells) > 2:
            problems.append(RosterProblem(line, tr("has more than two columns.")))
            continue
        number, name = cells
        if not _NUMBER.match(number):
            problems.append(RosterProblem(line, tr("'{number}' is not a student number.")
                                          .format(number=number)))
        elif not name or len(name) > 40:
            problems.append(RosterProblem(line, tr("the name is empty or too long.")))
        elif number in seen:
            problems.append(RosterProblem(line, tr("student number {number} is already on line "
                                                   "{first}.").format(number=number,
                                                                      first=seen[number])))
        elif number in existing:
            problems.append(RosterProblem(line, tr("student number {number} is already in the "
                                                   "class.").format(number=number)))
        else:
            seen[number] = line
            rows.append((number, name))
    return Roster(tuple(rows), tuple(problems), encoding)
