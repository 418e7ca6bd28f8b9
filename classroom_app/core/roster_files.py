"""Reading a roster file into rows of cells, whatever Excel or WPS saved it as.

An Excel workbook (.xlsx, read with openpyxl, every sheet offered), Excel's "Unicode
text" (UTF-16 with BOM, tab-separated), and CSV or TXT in UTF-8 (with or without BOM)
or GBK/GB18030, separated by commas, tabs or semicolons. The file's content decides,
not its name: school systems often export text or HTML named ``.xls``. An old binary
``.xls`` and anything else unreadable get a sentence saying how to save it instead.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from classroom_app.core.i18n import tr

if TYPE_CHECKING:  # openpyxl is imported only when a workbook comes
    from openpyxl.worksheet.worksheet import Worksheet

MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_XLSX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000  # a class has fewer than 100 pupils; a whole school's list fits
MAX_COLUMNS = 60
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and WPS .et) workbooks
_DELIMITERS = ("\t", ",", ";", "，")
# Excel keeps 15 significant digits: a longer number typed into a cell has lost digits.
_EXACT_DIGITS = 1e15


class RosterError(Exception):
    """The file cannot be read as a roster at all."""


def with_advice(problem: str) -> str:
    """``problem`` and what to do with a file the app cannot read."""
    advice = tr("Open it in Excel or WPS, choose Save As and save it as an Excel workbook "
                "(.xlsx) or as CSV, then import that file.")
    return tr("{problem} {advice}").format(problem=problem, advice=advice)


@dataclass(frozen=True)
class Table:
    """The rows of one sheet or text file: (line or sheet row, cells)."""

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str
    sheet: str | None = None


def read_tables(data: bytes) -> list[Table]:
    """Every table in ``data``: one per sheet of a workbook, one for a text file."""
    if data.startswith(_OLE2):
        raise RosterError(with_advice(tr("This is an old Excel workbook (.xls), which the "
                                         "app cannot read.")))
    if data.startswith(b"PK\x03\x04"):
        return _workbook_tables(data)
    if len(data) > MAX_TEXT_BYTES:
        raise RosterError(tr("The file is too large for a class roster."))
    text, encoding = decode(data)
    if text.lstrip().startswith("<"):  # a web page or XML saved with a spreadsheet's name
        raise RosterError(with_advice(tr("This file is a web page or XML, not a table the "
                                         "app can read.")))
    rows = tuple((line, tuple(cells)) for line, cells in enumerate(split(text), start=1))
    return [Table(rows, encoding)]


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding's name: UTF-16 (with BOM), UTF-8 or GBK."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", "utf-16")
    if len(data) >= 4 and data[1:200:2].count(0) > len(data[1:200:2]) // 2:
        return _decode(data, "utf-16-le", "utf-16")  # UTF-16 that lost its BOM
    if b"\x00" in data[:4096]:
        raise RosterError(with_advice(tr("The file is not text.")))
    for encoding, name in (("utf-8-sig", "utf-8"), ("gb18030", "gbk")):
        try:
            return data.decode(encoding), name
        except UnicodeDecodeError:
            continue
    raise RosterError(with_advice(tr("The file is neither UTF-8 nor GBK text.")))


def _decode(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError:
        raise RosterError(with_advice(tr("The file is damaged Unicode text."))) from None


def split(text: str) -> list[list[str]]:
    """Rows of cells, split by the delimiter most lines of the start of ``text`` use."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    delimiter = max(_DELIMITERS, key=lambda d: (sum(d in line for line in lines),
                                                -_DELIMITERS.index(d)))
    if not any(delimiter in line for line in lines):
        delimiter = ","
    if delimiter == "，":  # a full-width comma typed in Notepad
        text, delimiter = text.replace("，", ","), ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise RosterError(tr("The file has more than {count} rows; a roster is one class.")
                          .format(count=MAX_ROWS))
    return rows


def _workbook_tables(data: bytes) -> list[Table]:
    if len(data) > MAX_XLSX_BYTES:
        raise RosterError(tr("The file is too large for a class roster."))
    from openpyxl import load_workbook  # a few hundred ms: only when a workbook comes

    book = None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return [Table(_sheet_rows(sheet), "xlsx", sheet.title) for sheet in book.worksheets]
    # openpyxl raises many kinds (zip, XML, key and value errors) for a damaged or
    # foreign zip file, while opening it or reading its sheets: each means the same to a
    # teacher.
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, SyntaxError,
            IndexError, AttributeError) as error:
        raise RosterError(with_advice(tr("The file cannot be read as an Excel workbook "
                                         "({error}).").format(error=type(error).__name__))
                          ) from None
    finally:
        if book is not None:
            book.close()


def _sheet_rows(sheet: Worksheet) -> tuple[tuple[int, tuple[str, ...]], ...]:
    rows = []
    for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS,
                                                    values_only=True), start=1):
        if number > MAX_ROWS:
            raise RosterError(tr("The file has more than {count} rows; a roster is one "
                                 "class.").format(count=MAX_ROWS))
        rows.append((number, tuple(cell_text(value) for value in values)))
    return tuple(rows)


def cell_text(value: object) -> str:
    """A cell as the teacher sees it: 20260401 stored as a number is "20260401"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and abs(value) < _EXACT_DIGITS:
            return str(int(value))
        return f"{value:.15g}"  # scientific for lost digits: the roster says so
    if isinstance(value, date):
        return value.isoformat()[:10]
    return re.sub(r"\s+$", "", str(value)).lstrip()
