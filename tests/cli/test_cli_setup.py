"""The command lines a teacher and school IT meet first: validating and importing packs,
adding a class, reading progress, enrolling a device, a taken port, a pipe closed early,
and the Makefile that sets everything up."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from classroom_app.cli.main import main
from classroom_app.core.console import display_width
from classroom_app.hub.cli import main as hub_main

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def renamed(pack_copy, new_id: str) -> Path:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'id = "p1-how-computers-see"', f'id = "{new_id}"', 1), encoding="utf-8")
    return pack


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return target


def test_validate_a_library_folder_and_a_zip(capsys, tmp_path: Path, pack_copy) -> None:
    """A folder of packs is checked pack by pack, a .zip as importing reads it; problems
    name the file inside the zip; one bad pack fails the run."""
    assert main(["--lang", "en", "lessons", "validate", str(ROOT / "lessons")]) == 0
    out = capsys.readouterr().out
    assert out.count(": OK") == len([p for p in (ROOT / "lessons").iterdir()
                                     if (p / "lesson.toml").is_file()]) >= 9
    good = zipped(renamed(pack_copy, "zipped-lesson"), tmp_path / "good.zip")
    assert main(["--lang", "en", "lessons", "validate", str(good)]) == 0
    assert f"{good}: OK" in capsys.readouterr().out
    broken = pack_copy("p2-teach-by-examples")
    (broken / "en" / "intro.md").unlink()
    bad = zipped(broken, tmp_path / "bad.zip")
    assert main(["--lang", "en", "lessons", "validate", str(bad)]) == 1
    assert f"{bad}/lesson.toml" in capsys.readouterr().out
    library = broken.parent
    assert main(["--lang", "en", "lessons", "validate", str(library)]) == 1
    assert "en/intro.md" in capsys.readouterr().out
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really")
    assert main(["--lang", "en", "lessons", "validate", str(tmp_path / "junk.zip")]) == 1


def test_importing_a_pack_again_says_how_to_replace_it(capsys, pack_copy) -> None:
    pack = renamed(pack_copy, "my-lesson")
    assert main(["--lang", "en", "lessons", "import", str(pack)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "lessons", "import", str(pack)]) == 1
    err = capsys.readouterr().err
    assert "already imported" in err and f'lessons import "{pack}" --replace' in err
    assert main(["--lang", "en", "lessons", "import", str(pack), "--replace"]) == 0


@pytest.mark.parametrize(("stage", "grade", "ok"), [
    ("primary", 6, True), ("primary", 7, False), ("middle", 7, True), ("middle", 4, False),
    ("senior", 12, True), ("senior", 9, False)])
def test_classes_add_checks_the_grade_against_the_stage(capsys, stage: str, grade: int,
                                                        ok: bool) -> None:
    code = main(["--lang", "en", "classes", "add", "--name", "2班", "--stage", stage,
                 "--grade", str(grade)])
    err = capsys.readouterr().err
    assert (code == 0) is ok
    if not ok:
        assert code == 2 and f"Grade {grade} is not in" in err and "which has grades" in err


def test_progress_has_headers_and_aligned_chinese_names(capsys, ctx) -> None:
    """Columns line up however long the names: display width, not characters."""
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("1", "王明"), ("20260402", "欧阳娜娜"), ("3", "Li")])
    assert main(["--lang", "en", "progress", str(info.id)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines[0].startswith("Student number") and "Class periods this school year" in lines[0]
    ends = {display_width(line) for line in lines}
    assert len(ends) == 1, lines  # the last column is right-aligned: every line as wide
    columns = [display_width(line[:line.index("0.0 / 8")]) for line in lines[1:]]
    assert len(set(columns)) == 1, lines


def test_device_add_prints_one_item_a_line_before_the_note(tmp_path: Path) -> None:
    """Even with both streams in one file and stdout buffered, the note comes after the
    credentials, and each credential is on its own line."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["CLASSROOM_HUB_DATABASE"] = str(tmp_path / "hub.sqlite3")
    result = subprocess.run([BIN / "classroom-hub", "--lang", "en", "device", "add", "Room 3",
                             "--school", "https://school.example.edu.cn/"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=60)
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert [line.split(":")[0] for line in lines] == ["username", "password", "hub key",
                                                       "Keep the password safe"]


def test_serve_on_a_taken_port_says_so(tmp_path: Path, capsys) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        code = hub_main(["--lang", "en", "--database", str(tmp_path / "hub.sqlite3"), "serve",
                         "--host", "127.0.0.1", "--port", str(port)])
    finally:
        taken.close()
    assert code == 1
    err = capsys.readouterr().err
    assert f"Port {port} is already in use" in err and "--port" in err


def test_a_hub_database_in_a_missing_folder_is_a_sentence(tmp_path: Path, capsys) -> None:
    """A database path whose folder does not exist: one sentence naming it, exit 1,
    no traceback and nothing created."""
    database = tmp_path / "no-such-folder" / "hub.sqlite3"
    assert hub_main(["--database", str(database), "device", "list"]) == 1
    err = capsys.readouterr().err
    assert "无法打开上报中心的数据库" in err and str(database) in err
    assert "Traceback" not in err and not database.parent.exists()


@pytest.mark.parametrize("command", [["classroom", "lessons", "list", "--json"],
                                     ["classroom", "lessons", "list"],
                                     ["classroom-hub", "device", "list"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path,
                                                            command: list[str]) -> None:
    """`classroom lessons list --json | head -1`: no BrokenPipeError traceback, exit 0.
    The read end is closed before the command writes, so the pipe is surely broken."""
    env = {**os.environ, "CLASSROOM_HUB_DATABASE": str(tmp_path / "hub.sqlite3")}
    if command[0] == "classroom-hub":
        subprocess.run([BIN / "classroom-hub", "device", "add", "PC", "--district"], env=env,
                       capture_output=True, timeout=60, check=True)
    process = subprocess.Popen([BIN / command[0], *command[1:]], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_head_reads_the_first_line_of_the_json(data_dir: Path) -> None:
    shell = f'"{BIN / "classroom"}" lessons list --json | head -1'
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True,
                            text=True, timeout=60)
    assert result.stdout == "{\n" and "Traceback" not in result.stderr
    assert result.returncode in (0, 141)


def make_dry_run(folder: Path, target: str, *stamps: str) -> str:
    """What ``make -n TARGET`` would run in a copy of the project in ``folder`` whose
    venv exists and has ``stamps`` newer than pyproject.toml."""
    (folder / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    (folder / "pyproject.toml").write_text("[project]\n")
    (folder / ".venv" / "bin" / "python").touch()
    later = os.path.getmtime(folder / "pyproject.toml") + 10
    for stamp in stamps:
        (folder / ".venv" / stamp).touch()
        os.utime(folder / ".venv" / stamp, (later, later))
    return subprocess.run(["make", "-n", target], cwd=folder, capture_output=True,
                          text=True, timeout=60, check=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_the_app_only_and_make_test_adds_the_tools(tmp_path: Path) -> None:
    """`make run` installs without the dev extras; `make test` after it installs them;
    nothing is installed again until pyproject.toml changes."""
    run = make_dry_run(tmp_path / "fresh", "run")
    assert "pip install" in run and "-e ." in run and "[dev]" not in run
    after_run = make_dry_run(tmp_path / "after-run", "setup", ".installed-run")
    assert "'.[dev]'" in after_run
    done = make_dry_run(tmp_path / "after-test", "setup", ".installed-run", ".installed-dev")
    assert "pip install" not in done
    run_after_test = make_dry_run(tmp_path / "run-after-test", "run", ".installed-run",
                                  ".installed-dev")
    assert "pip install" not in run_after_test and "classroom-app" in run_after_test


# A title that clears the screen and a name that reverses the rest of the line.
SPOOF = "\x1b[2J\x1b]0;pwned\x07\u202eevil\u2066\x9b31m\r"


def test_what_the_commands_print_from_packs_and_records_cannot_drive_the_terminal(
        capsys, ctx, pack_copy, tmp_path: Path) -> None:
    """Terminal control and bidi-override characters from a pack or a record are left
    out of what the commands print; the rest of the text stays."""
    pack = renamed(pack_copy, "spoof-lesson")
    toml = pack / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('title = { zh_CN = "', 'title = { zh_CN = "'
                                 + SPOOF.encode("unicode_escape").decode().replace(
                                     "\\x", "\\u00"), 1), encoding="utf-8")
    info = ctx.store.add_class(f"四{SPOOF}班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("1", f"王{SPOOF}明")])
    database = str(tmp_path / "hub.sqlite3")
    outputs = []
    for command in (["lessons", "import", str(pack)], ["lessons", "list"],
                    ["classes", "list"], ["progress", str(info.id)],
                    ["roster", str(info.id)]):
        assert main(command) == 0, command
        outputs.append(capsys.readouterr())
    assert hub_main(["--database", database, "device", "add", f"机房{SPOOF}",
                     "--district"]) == 0
    assert hub_main(["--database", database, "device", "list"]) == 0
    outputs.append(capsys.readouterr())
    printed = "".join(o.out + o.err for o in outputs)
    assert "evil" in printed and "四[2J]0;pwnedevil31m班" in printed
    assert not [c for c in printed if c in "\x1b\x07\x9b\r\u202e\u2066"]
