"""``classroom roster`` does what the Classes page does: real .xlsx, UTF-16 and GBK files
with columns in any order, skipped rows by line, and one pupil added, listed, removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from classroom_app.cli.main import main


@pytest.fixture
def class_id(capsys) -> str:
    assert main(["classes", "add", "--name", "四(2)班", "--stage", "primary",
                 "--grade", "4"]) == 0
    return capsys.readouterr().out.strip()


def listed(class_id: str, capsys) -> list[dict]:
    assert main(["roster", class_id, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_school_export_in_gbk_reports_added_and_skipped_rows(class_id, capsys,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("序号,姓名,性别,学号,备注\n1,王小明,男,20260401,\n2,李华,女,20260402,\n"
                     "3,张伟,?,20260403,\n".encode("gbk"))
    assert main(["--lang", "en", "roster", class_id, str(path)]) == 0
    out, err = capsys.readouterr()
    assert "2 students added, 0 updated, 0 unchanged." in out
    assert "1 rows were skipped:" in err and "Line 4: '?' is not a gender" in err
    assert listed(class_id, capsys) == [
        {"student_number": "20260401", "name": "王小明", "gender": "男"},
        {"student_number": "20260402", "name": "李华", "gender": "女"}]


def test_xlsx_numbers_and_utf16_text(class_id, capsys, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["学号", "姓名"])
    book.active.append([20260401, "王小明"])
    book.active.append([20260402.0, "李华"])
    book.save(tmp_path / "roster.xlsx")
    assert main(["roster", class_id, str(tmp_path / "roster.xlsx")]) == 0
    assert "新增 2 名学生" in capsys.readouterr().out
    (tmp_path / "unicode.txt").write_bytes("姓名\t学号\r\n李华\t20260402\r\n".encode("utf-16"))
    assert main(["roster", class_id, str(tmp_path / "unicode.txt")]) == 0
    assert "1 名无变化" in capsys.readouterr().out
    assert [x["student_number"] for x in listed(class_id, capsys)] == ["20260401", "20260402"]


def test_an_unreadable_file_says_what_to_do(class_id, capsys, tmp_path: Path) -> None:
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert main(["--lang", "en", "roster", class_id, str(old)]) == 1
    assert "old Excel workbook (.xls)" in capsys.readouterr().err


def test_add_list_and_remove_one_pupil(class_id, capsys) -> None:
    """--add checks the number and duplicates, --gender takes 男 or 女, the listing
    lines up Chinese names, --remove takes the pupil out."""
    assert main(["--lang", "en", "roster", class_id, "--add", "20260401", "王小明",
                 "--gender", "男"]) == 0
    assert "Added 王小明 (20260401)." in capsys.readouterr().out
    assert main(["--lang", "en", "roster", class_id, "--add", "20260401", "李华"]) == 1
    assert "already belongs to 王小明" in capsys.readouterr().err
    assert main(["--lang", "en", "roster", class_id, "--add", "2026/04", "李华"]) == 1
    assert "not a student number" in capsys.readouterr().err
    assert main(["roster", class_id, "--add", "1", "李华", "--gender", "x"]) == 2
    assert main(["roster", class_id, "--add", "G110105201305120012", "Li Hua"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "roster", class_id]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Student", "number", "Name", "Gender"]
    assert lines[1:] == ["20260401             王小明  Male", "G110105201305120012  Li Hua"]
    assert main(["--lang", "en", "roster", class_id, "--remove", "20260401"]) == 0
    assert "Removed 王小明 (20260401)" in capsys.readouterr().out
    assert main(["roster", class_id, "--remove", "20260401"]) == 1
    assert main(["roster", class_id, "file.csv", "--remove", "1"]) == 2
    assert main(["roster", "999"]) == 1


def test_a_full_disk_says_so_and_keeps_the_roster(class_id, capsys, tmp_path: Path,
                                                  monkeypatch) -> None:
    """SQLite's page limit gives a real full disk while the roster is imported."""
    from classroom_app.cli import main as cli_main

    opened = cli_main.open_context

    def nearly_full(*args, **kwargs):
        ctx = opened(*args, **kwargs)
        pages = ctx.store.conn.execute("PRAGMA page_count").fetchone()[0]
        ctx.store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        return ctx

    path = tmp_path / "名单.csv"
    path.write_text("姓名,学号\n" + "".join(f"{'名' * 40},{2026_0000 + n}\n"
                                          for n in range(3000)), encoding="utf-8")
    monkeypatch.setattr(cli_main, "open_context", nearly_full)
    assert main(["--lang", "en", "roster", class_id, str(path)]) == 1
    out, err = capsys.readouterr()
    assert "disk is full" in err and "Traceback" not in err and "rollback" not in err
    monkeypatch.setattr(cli_main, "open_context", opened)
    assert listed(class_id, capsys) == []
