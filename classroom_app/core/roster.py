"""Reading a class roster as schools keep them: columns found by their header names.

A header row (学号/学籍号/编号, 姓名, 性别 or their English names, in any order; other
columns such as 序号, 班级 or 备注 are ignored) may follow a title row; without one, two
columns are read: student number, then name. The file may be an .xlsx workbook (the
first sheet with such a header, else the first sheet), Excel's Unicode text or a CSV
(see :mod:`classroom_app.core.roster_files`). Every row that cannot be used is
reported by its line (or sheet row); the good rows are still offered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from classroom_app.core.i18n import tr
from classroom_app.core.roster_files import RosterError, Table, read_tables

__all__ = ["Roster", "RosterError", "RosterProblem", "RosterRow", "gender_name",
           "name_problem", "normal_gender", "number_problem", "parse_roster"]

# Normalised header names (see _header_key) per field, the better match first: a
# school number (学号) is preferred to the national registration number (学籍号).
NUMBER_HEADERS = ("学号", "学生学号", "studentnumber", "studentno", "number",
                  "学籍号", "全国学籍号", "学籍编号", "编号", "学生编号", "studentid", "id")
NAME_HEADERS = ("姓名", "学生姓名", "名字", "name", "studentname", "fullname")
GENDER_HEADERS = ("性别", "gender", "sex")
_HEADER_ROWS = 5  # a header may follow a title row or two ("四年级2班学生名单")
_NUMBER = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+]?\d+$")
_GENDERS = {"男": "男", "男生": "男", "m": "男", "male": "男", "boy": "男",
            "女": "女", "女生": "女", "f": "女", "female": "女", "girl": "女"}
MAX_NAME = 40


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return tr("Sheet {sheet}, row {line}: {message}").format(
                sheet=self.sheet, line=self.line, message=self.message)
        return tr("Line {line}: {message}").format(line=self.line, message=self.message)


@dataclass(frozen=True)
class RosterRow:
    number: str
    name: str
    gender: str | None = None  # None: the file does not say (a stored gender stays)
    line: int = 0


@dataclass(frozen=True)
class Roster:
    rows: tuple[RosterRow, ...]
    problems: tuple[RosterProblem, ...]
    encoding: str
    sheet: str | None = None


@dataclass(frozen=True)
class _Columns:
    number: int
    name: int
    gender: int | None


def _header_key(cell: str) -> str:
    """"* 学号（必填）" and "Student Number:" as plain keys: "学号", "studentnumber"."""
    key = unicodedata.normalize("NFKC", cell)
    key = re.sub(r"\(.*?\)", "", key)
    return re.sub(r"[\s*:_.\-]", "", key).lower()


def _best(keys: list[str], names: tuple[str, ...]) -> int | None:
    ranked = [(names.index(k), i) for i, k in enumerate(keys) if k in names]
    return min(ranked)[1] if ranked else None


def _header(cells: tuple[str, ...], where: str) -> _Columns | None:
    """The columns a header row names; None when ``cells`` is not a header."""
    keys = [_header_key(c) for c in cells]
    number, name = _best(keys, NUMBER_HEADERS), _best(keys, NAME_HEADERS)
    if number is None and name is None:
        return None
    if number is None:
        raise RosterError(tr("{where} names the columns, but none is the student number "
                             "(学号, 学籍号 or 编号). Add that column and import again.")
                          .format(where=where))
    if name is None:
        raise RosterError(tr("{where} names the columns, but none is the name (姓名). Add "
                             "that column and import again.").format(where=where))
    return _Columns(number, name, _best(keys, GENDER_HEADERS))


def _where(table: Table, line: int) -> str:
    if table.sheet is not None:
        return tr("Sheet {sheet}, row {line}").format(sheet=table.sheet, line=line)
    return tr("Line {line}").format(line=line)


def _find_header(table: Table) -> tuple[int, _Columns] | None:
    """(index in ``table.rows`` of the header, its columns), among the first rows."""
    filled = [(i, cells) for i, (_, cells) in enumerate(table.rows) if any(cells)]
    for index, cells in filled[:_HEADER_ROWS]:
        columns = _header(cells, _where(table, table.rows[index][0]))
        if columns is not None:
            return index, columns
    return None


def _has_header(table: Table) -> bool:
    try:
        return _find_header(table) is not None
    except RosterError:
        return True  # a header, if a faulty one: its error is the one to show


def normal_gender(text: str) -> str | None:
    """"男" or "女" for the ways schools write it (男生, M, female…); "" for an empty
    cell; None for anything else."""
    key = unicodedata.normalize("NFKC", text).strip().lower()
    return "" if not key else _GENDERS.get(key)


def gender_name(gender: str) -> str:
    """How a stored gender is shown: 男/女 in Chinese, Male/Female in English."""
    return {"男": tr("Male"), "女": tr("Female")}.get(gender, "")


def normal_number(text: str) -> str:
    """Full-width digits, Excel's text apostrophe and a number's ".0" removed."""
    number = unicodedata.normalize("NFKC", text).strip().lstrip("'")
    return re.sub(r"^(\d+)\.0+$", r"\1", number)


def normal_name(text: str) -> str:
    """Spaces that pad a two-character Chinese name ("王　明") removed; others single."""
    name = " ".join(text.split())
    if name and all(unicodedata.east_asian_width(c) in "WF" for c in name.replace(" ", "")):
        name = name.replace(" ", "")
    return name


def number_problem(number: str) -> str | None:
    """Why ``number`` cannot be a student number, or None."""
    if _SCIENTIFIC.match(number):
        return tr("'{number}' is a number Excel shortened: format the column as text, type "
                  "the numbers again and save.").format(number=number)
    if not _NUMBER.match(number):
        return tr("'{number}' is not a student number (letters and digits, at most 32)."
                  ).format(number=number)
    return None


def name_problem(name: str) -> str | None:
    if not name:
        return tr("the name is empty.")
    if len(name) > MAX_NAME:
        return tr("the name is longer than {count} characters.").format(count=MAX_NAME)
    return None


def _row(cells: tuple[str, ...], columns: _Columns | None, line: int
         ) -> tuple[RosterRow | None, str | None]:
    """One data row as a pupil, or why it cannot be one; (None, None) to skip it."""
    cells = tuple(c.strip() for c in cells)
    if columns is None:
        filled = list(cells)
        while filled and not filled[-1]:
            filled.pop()
        if not filled:
            return None, None
        if len(filled) != 2:
            return None, (tr("needs a student number and a name.") if len(filled) < 2
                          else tr("has more than two columns (add a header row: 学号, 姓名)."))
        number, name, gender_text = filled[0], filled[1], ""
    else:
        def cell(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        number, name = cell(columns.number), cell(columns.name)
        gender_text = cell(columns.gender)
        if not number and not name:
            return None, None  # an empty row, or a total or note below the list
    number, name = normal_number(number), normal_name(name)
    if not number:
        return None, tr("the student number is empty.")
    problem = number_problem(number) or name_problem(name)
    gender = normal_gender(gender_text)
    if problem is None and gender is None:
        problem = tr("'{gender}' is not a gender (男 or 女).").format(gender=gender_text)
    if problem:
        return None, problem
    return RosterRow(number, name, gender or None, line), None


def _choose(tables: list[Table]) -> Table:
    """The first sheet with a header, else the first with anything in it."""
    for table in tables:
        if _has_header(table):
            return table
    return next((t for t in tables if any(any(c) for _, c in t.rows)), tables[0])


def read_roster(table: Table) -> Roster:
    """The pupils in ``table``, and every row that cannot be one, by line."""
    found = _find_header(table)
    start, columns = (found[0] + 1, found[1]) if found else (0, None)
    rows: list[RosterRow] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows[start:]:
        row, problem = _row(cells, columns, line)
        if row is not None and row.number in seen:
            problem = tr("student number {number} is already on line {first}.").format(
                number=row.number, first=seen[row.number])
        if problem:
            problems.append(RosterProblem(line, problem, table.sheet))
        elif row is not None:
            seen[row.number] = line
            rows.append(row)
    return Roster(tuple(rows), tuple(problems), table.encoding, table.sheet)


def parse_roster(data: bytes) -> Roster:
    """Read a roster file's bytes (any of the formats above)."""
    tables = read_tables(data)
    if not tables:
        raise RosterError(tr("The workbook has no sheets."))
    return read_roster(_choose(tables))
