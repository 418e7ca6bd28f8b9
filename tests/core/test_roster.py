"""Class rosters as schools really keep them: real files written here in every way Excel,
WPS and school systems save them, columns found by header name, bad rows by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from classroom_app.core import i18n
from classroom_app.core.pupils import apply_roster, read_roster_file, save_pupil
from classroom_app.core.roster import RosterError, parse_roster

SCHOOL_EXPORT = ("序号,姓名,性别,学号,备注\r\n"
                 "1,王小明,男,20260401,\r\n"
                 "2,李华,女,G110105201305120012,转入\r\n"
                 "3,欧阳娜娜,女,20260403,班长\r\n"
                 "4,张伟,未知,20260404,\r\n"
                 "5,,男,20260405,\r\n")


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def pupils(roster) -> list[tuple[str, str, str | None]]:
    return [(r.number, r.name, r.gender) for r in roster.rows]


def test_school_export_with_columns_in_its_own_order(tmp_path: Path) -> None:
    """"序号,姓名,性别,学号,备注" imports: 学号 and 姓名 by name, 性别 kept, 序号 and 备注
    ignored, the 学籍号-style number accepted, bad rows reported by line."""
    path = tmp_path / "名单.csv"
    path.write_bytes(SCHOOL_EXPORT.encode("gbk"))
    roster = read_roster_file(path)
    assert pupils(roster) == [("20260401", "王小明", "男"), ("G110105201305120012", "李华", "女"),
                              ("20260403", "欧阳娜娜", "女")]
    assert roster.encoding == "gbk"
    assert [(p.line, p.message) for p in roster.problems] == [
        (5, "'未知' is not a gender (男 or 女)."), (6, "the name is empty.")]


def test_utf8_with_and_without_bom_and_english_headers() -> None:
    """UTF-8 either way; English headers in any order; a gender written M/F."""
    text = "Name,Gender,Student ID\r\nAmy Li,F,S01\r\nBen  Wu,m,S02\r\n"
    for data in (text.encode("utf-8-sig"), text.encode()):
        roster = parse_roster(data)
        assert pupils(roster) == [("S01", "Amy Li", "女"), ("S02", "Ben Wu", "男")]
        assert roster.encoding == "utf-8" and roster.problems == ()


def test_gb18030_and_a_title_row_above_the_header() -> None:
    """A title row over the header is passed by; GB18030-only characters survive."""
    data = "四年级(2)班学生名单,,\n学籍号,姓名,班级\nG1,𠀾小明,四(2)\n".encode("gb18030")
    assert pupils(parse_roster(data)) == [("G1", "𠀾小明", None)]


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    """Excel's "Unicode 文本" (UTF-16 LE with BOM, tab-separated, CRLF) imports."""
    path = tmp_path / "roster.txt"
    path.write_bytes("学号\t姓名\t性别\r\n20260401\t王小明\t男\r\n20260402\t李华\t\r\n"
                     .encode("utf-16"))
    assert path.read_bytes()[:2] == b"\xff\xfe"
    roster = read_roster_file(path)
    assert pupils(roster) == [("20260401", "王小明", "男"), ("20260402", "李华", None)]
    assert roster.encoding == "utf-16"


def test_xlsx_with_numbers_stored_as_numbers(tmp_path: Path) -> None:
    """A real workbook: the sheet with the header is found, 20260401 stored as an int
    or a float comes out as "20260401", bad rows are named by sheet row."""
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请在第二个工作表填写名单"])
    sheet = book.create_sheet("四(2)班")
    sheet.append(["四年级(2)班"])
    sheet.append(["序号", "学号", "姓名", "性别"])
    sheet.append([1, 20260401, "王小明", "男"])
    sheet.append([2, 20260402.0, "李华", "女"])
    sheet.append([3, "G110105201305120012", "张伟", None])
    sheet.append([4, 110105201305120012, "刘洋", "男"])  # more digits than Excel keeps
    sheet.append([5, 20260405, None, "女"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    roster = read_roster_file(path)
    assert pupils(roster) == [("20260401", "王小明", "男"), ("20260402", "李华", "女"),
                              ("G110105201305120012", "张伟", None)]
    assert roster.sheet == "四(2)班" and roster.encoding == "xlsx"
    assert [str(p) for p in roster.problems] == [
        "Sheet 四(2)班, row 6: '1.1010520130512e+17' is a number Excel shortened: format "
        "the column as text, type the numbers again and save.",
        "Sheet 四(2)班, row 7: the name is empty."]


def test_xlsx_without_a_header_reads_two_columns(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append([20260401, "王小明"])
    book.active.append([20260402, "李华"])
    path = tmp_path / "plain.xlsx"
    book.save(path)
    assert pupils(read_roster_file(path)) == [("20260401", "王小明", None),
                                              ("20260402", "李华", None)]


def test_no_header_two_columns_and_bad_rows_by_line() -> None:
    """Without a header, as before: number and name; every bad row by its line."""
    data = "1,甲\n2\n1,丙\n3,丁,多余\n#4,戊\n5,\n6,王　明\n".encode()
    roster = parse_roster(data)
    assert pupils(roster) == [("1", "甲", None), ("6", "王明", None)]
    lines = {p.line: p.message for p in roster.problems}
    assert set(lines) == {2, 3, 4, 5, 6}
    assert "already on line 1" in lines[3]
    assert str(roster.problems[0]).startswith("Line 2:")


def test_a_header_without_a_student_number_column_says_what_to_add() -> None:
    with pytest.raises(RosterError, match=r"Line 1 .*学号"):
        parse_roster("序号,姓名\n1,王小明\n".encode())


@pytest.mark.parametrize(("data", "advice"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Excel workbook"),
    (b"PK\x03\x04\x00\x00not really a workbook", "cannot be read as an Excel workbook"),
    ("<html><table><tr><td>学号</td></tr></table></html>".encode(), "web page"),
    (b"\x01\x02\x00\x00\x05" * 100, "not text"),
])
def test_unreadable_files_say_how_to_save_them(data: bytes, advice: str) -> None:
    """An old .xls, a broken workbook, a web page named .xls, binary junk: a sentence
    saying what it is and to save it as .xlsx or CSV."""
    with pytest.raises(RosterError, match=advice) as caught:
        parse_roster(data)
    assert "Save As" in str(caught.value) and ".xlsx" in str(caught.value)


def test_import_adds_updates_and_keeps_genders(ctx) -> None:
    """Re-importing a corrected list updates names, keeps a gender the file does not
    give, and counts what it did."""
    i18n.set_language("en")  # the store's settings chose Chinese
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    first = apply_roster(ctx.store, info.id, parse_roster(SCHOOL_EXPORT.encode("gbk")))
    assert (first.added, first.updated, first.unchanged, len(first.problems)) == (3, 0, 0, 2)
    again = apply_roster(ctx.store, info.id, parse_roster(
        "学号,姓名\n20260401,王小明\n20260403,欧阳娜\n20260406,新同学\n".encode()))
    assert (again.added, again.updated, again.unchanged) == (1, 1, 1)
    assert "1 students added, 1 updated, 1 unchanged." in again.report()
    stored = {x.student_number: (x.name, x.gender) for x in ctx.store.learners(info.id)}
    assert stored["20260403"] == ("欧阳娜", "女") and stored["20260406"] == ("新同学", "")


def test_one_pupil_is_checked_before_it_is_saved(ctx) -> None:
    """Adding or changing one pupil refuses a taken or malformed number and an empty
    name, with the reason; the pupil's own number is not a duplicate of itself."""
    i18n.set_language("en")  # the store's settings chose Chinese
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    assert save_pupil(ctx.store, info.id, "２０２６０４０１", "王小明", "男") is None
    pupil = ctx.store.learners(info.id)[0]
    assert (pupil.student_number, pupil.gender) == ("20260401", "男")
    assert "already belongs to 王小明" in save_pupil(ctx.store, info.id, "20260401", "李华", "")
    assert "not a student number" in save_pupil(ctx.store, info.id, "2026 04", "李华", "")
    assert save_pupil(ctx.store, info.id, "20260402", "", "") == "The name is empty."
    assert save_pupil(ctx.store, info.id, "20260401", "王晓明", "", editing=pupil) is None
    assert ctx.store.learners(info.id)[0].name == "王晓明"
    assert ctx.store.learners(info.id)[0].gender == ""
