"""The ``classroom`` command line, run as a separate process like a teacher would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def classroom(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLASSROOM_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "classroom_app.cli", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


def test_lessons_list_json(data_dir: Path) -> None:
    result = classroom("lessons", "list", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    stages = [lesson["stage"] for lesson in data["lessons"]]
    assert {s: stages.count(s) >= 3 for s in ("primary", "middle", "senior")} == {
        "primary": True, "middle": True, "senior": True}
    assert data["broken"] == []


def test_lessons_list_in_both_languages(data_dir: Path) -> None:
    chinese = classroom("lessons", "list", data_dir=data_dir).stdout
    english = classroom("--lang", "en", "lessons", "list", data_dir=data_dir).stdout
    assert "小学" in chinese and "Primary school" in english


def test_validate_reports_problems_and_fails(data_dir: Path, pack_copy) -> None:
    good = classroom("--lang", "en", "lessons", "validate", "lessons/s1-build-evaluate-improve",
                     data_dir=data_dir)
    assert good.returncode == 0 and "OK" in good.stdout
    broken = pack_copy()
    (broken / "en" / "intro.md").unlink()
    result = classroom("--lang", "en", "lessons", "validate", str(broken), data_dir=data_dir)
    assert result.returncode == 1
    assert f"{broken}/lesson.toml:" in result.stdout and "en/intro.md" in result.stdout


def test_classes_roster_and_progress(data_dir: Path, tmp_path: Path) -> None:
    created = classroom("classes", "add", "--name", "四(2)班", "--stage", "primary",
                        "--grade", "4", data_dir=data_dir)
    class_id = created.stdout.strip()
    csv_file = tmp_path / "roster.csv"
    csv_file.write_bytes("学号,姓名\n1,王小明\n1,重复\n".encode("gbk"))
    result = classroom("--lang", "en", "roster", class_id, str(csv_file), data_dir=data_dir)
    assert result.returncode == 0 and "1 students added" in result.stdout
    assert "Line 3" in result.stderr
    progress = json.loads(classroom("progress", class_id, "--json", data_dir=data_dir).stdout)
    learner = progress["learners"][0]
    assert learner["name"] == "王小明" and learner["periods"] == 0 and not progress["confirmed"]
    assert classroom("pin-reset", data_dir=data_dir).returncode == 0


def test_import_refuses_a_bad_zip(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"nonsense")
    result = classroom("--lang", "en", "lessons", "import", str(bad), data_dir=data_dir)
    assert result.returncode == 1 and "zip" in result.stderr
