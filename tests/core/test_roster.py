"""Class rosters from CSV as Excel/WPS save them: UTF-8 or GBK, bad rows by line."""

from __future__ import annotations

import pytest

from classroom_app.core import i18n
from classroom_app.core.roster import RosterError, parse_roster


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def test_utf8_with_bom_and_header() -> None:
    roster = parse_roster("学号,姓名\r\n20260401,王小明\r\n20260402,李华\r\n".encode("utf-8-sig"))
    assert roster.rows == (("20260401", "王小明"), ("20260402", "李华"))
    assert roster.problems == () and roster.encoding == "utf-8"


def test_gbk_as_excel_saves_it() -> None:
    roster = parse_roster("学号,姓名\n1,欧阳娜娜\n2,张伟\n".encode("gbk"))
    assert roster.rows == (("1", "欧阳娜娜"), ("2", "张伟"))
    assert roster.encoding == "gbk"


def test_tabs_and_no_header() -> None:
    assert parse_roster("1\t甲\n2\t乙\n".encode()).rows == (("1", "甲"), ("2", "乙"))


def test_duplicates_and_bad_rows_are_reported_by_line() -> None:
    data = "学号,姓名\n1,甲\n2\n1,丙\n3,丁,多余\n#4,戊\n5,\n6,己\n".encode()
    roster = parse_roster(data, existing_numbers={"6"})
    assert roster.rows == (("1", "甲"),)
    lines = {p.line: p.message for p in roster.problems}
    assert set(lines) == {3, 4, 5, 6, 7, 8}
    assert "already on line 2" in lines[4]
    assert "already in the class" in lines[8]
    assert str(roster.problems[0]).startswith("Line 3:")


def test_a_spreadsheet_file_is_refused_with_advice() -> None:
    with pytest.raises(RosterError, match="Save as CSV"):
        parse_roster(b"PK\x03\x04\x00\x00binary xlsx")
