"""Tables as files teachers open in Excel or WPS: CSV in UTF-8 with a byte-order mark
(without it Excel reads Chinese names as mojibake) and CRLF line ends, and XLSX with one
sheet per table. Both are written to a temporary file and renamed, so a file that is
open or half written is never left behind as the result.

A text cell that begins with =, +, -, @, tab or CR would be run by Excel or WPS as a
formula (names and class names come from other devices: "=HYPERLINK(...)"), so CSV text
cells that start with one get a leading apostrophe and show as the text they are. Numbers
the project writes as numbers (int and float, -2 included) are written as they are. XLSX
needs no such care: every text cell is written as a string, never a formula."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

Cell = str | int | float | None


class Table:
    def __init__(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
                 widths: Sequence[int] | None = None) -> None:
        self.title = title
        self.header = list(header)
        self.rows = [list(r) for r in rows]
        self.widths = list(widths or [])


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Cell) -> str | int | float:
    """``value`` safe for a CSV cell: text that a spreadsheet would take for a formula is
    prefixed with an apostrophe (``"=1+1"`` → ``"'=1+1"``); numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, table: Table) -> None:
    """Every CSV the project writes goes through here (see ``csv_cell``)."""
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([csv_cell(c) for c in table.header])
        writer.writerows([csv_cell(c) for c in row] for row in table.rows)
    os.replace(temporary, path)


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def write_xlsx(path: Path, tables: Sequence[Table]) -> None:
    temporary = path.with_name(path.name + ".part")
    book = xlsxwriter.Workbook(str(temporary), {"constant_memory": False,
                                                 "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#E3F2FD", "border": 1,
                            "text_wrap": True, "valign": "top"})
    used: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, used))
        sheet.write_row(0, 0, table.header, bold)
        for r, row in enumerate(table.rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)  # student numbers stay text
                elif value is not None:
                    sheet.write_number(r, c, value)
        for c, header in enumerate(table.header):
            width = table.widths[c] if c < len(table.widths) else max(10, len(header) * 2)
            sheet.set_column(c, c, width)
        sheet.freeze_panes(1, 0)
        if table.rows:
            sheet.autofilter(0, 0, len(table.rows), max(0, len(table.header) - 1))
    book.close()
    os.replace(temporary, path)
