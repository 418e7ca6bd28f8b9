"""Lesson packs: the shipped ones are complete, broken ones are reported by file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classroom_app.core import i18n, paths
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.lessons.library import load_library
from classroom_app.core.lessons.model import STAGES
from classroom_app.core.lessons.pack import load_pack

DEMOS = load_catalog().ids()


@pytest.fixture(autouse=True)
def english() -> None:
    """Messages are checked in English, the source language."""
    i18n.set_language("en")


def problems_of(pack: Path) -> list[str]:
    return [str(p) for p in load_pack(pack, DEMOS).problems]


def test_every_shipped_pack_is_valid_and_complete() -> None:
    """Three real lessons per stage, each 40-45 minutes with objectives, quiz and reflection."""
    library = load_library(paths.shipped_lessons_dir(), None, DEMOS)
    assert not library.broken, [str(p) for r in library.broken for p in r.problems]
    for stage in STAGES:
        lessons = library.by_stage(stage)
        assert len(lessons) >= 3, stage
        for lesson in lessons:
            kinds = {step.type for step in lesson.steps}
            assert {"quiz", "reflection", "text"} <= kinds, lesson.id
            assert 40 <= lesson.minutes <= 45
            assert sum(s.minutes for s in lesson.steps) == lesson.minutes
            assert lesson.objectives["zh_CN"] and lesson.objectives["en"]
            assert lesson.competencies


def test_demo_steps_point_at_demos_in_the_catalog() -> None:
    library = load_library(paths.shipped_lessons_dir(), None, DEMOS)
    demo_steps = [s for lesson in library.lessons for s in lesson.steps if s.type == "demo"]
    assert demo_steps
    assert all(step.demo in DEMOS for step in demo_steps)


def _line_of(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def test_missing_translation_is_reported_with_its_line(pack_copy) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'^title = \{ zh_CN = (".*?"), en = ".*?" \}$', r"title = { zh_CN = \1 }",
                  text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    line = _line_of(toml, r"^title = ")
    assert any(p.startswith(f"{toml}:{line}:") and "en" in p for p in problems_of(pack))


def test_missing_markdown_translation_is_reported(pack_copy) -> None:
    pack = pack_copy()
    (pack / "en" / "intro.md").unlink()
    assert any("en/intro.md" in p for p in problems_of(pack))


def test_unknown_step_type_is_reported_with_its_line(pack_copy) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('type = "text"', 'type = "video"', 1),
                    encoding="utf-8")
    line = _line_of(toml, r'type = "video"')
    assert any(p.startswith(f"{toml}:{line}:") and "video" in p for p in problems_of(pack))


def test_missing_picture_is_reported_in_the_markdown_file(pack_copy) -> None:
    pack = pack_copy()
    md = pack / "zh_CN" / "intro.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\n![没有](../images/nope.png)\n",
                  encoding="utf-8")
    line = _line_of(md, r"nope\.png")
    assert any(p.startswith(f"{md}:{line}:") and "nope.png" in p for p in problems_of(pack))


def test_quiz_without_correct_answer_is_reported(pack_copy) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r"^answer = \[\d+\]$", "answer = []", text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    line = _line_of(toml, r"^answer = \[\]$")
    assert any(p.startswith(f"{toml}:{line}:") and "no correct answer" in p
               for p in problems_of(pack))


def test_duration_that_does_not_add_up_is_reported(pack_copy) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    text = re.sub(r"^minutes = (\d+)$", "minutes = 99", toml.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    line = _line_of(toml, r"^minutes = 99$")
    assert any(p.startswith(f"{toml}:{line}:") and "99" in p for p in problems_of(pack))


def test_text_that_is_not_utf8_is_reported(pack_copy) -> None:
    pack = pack_copy()
    md = pack / "zh_CN" / "intro.md"
    md.write_bytes(md.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    assert any(str(md) in p and "UTF-8" in p for p in problems_of(pack))


def test_toml_syntax_error_names_the_line(pack_copy) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    lines[3] = "this is = = not toml"
    toml.write_text("\n".join(lines), encoding="utf-8")
    assert any(p.startswith(f"{toml}:4:") for p in problems_of(pack))


def test_a_broken_pack_is_set_aside_and_the_others_still_load(pack_copy) -> None:
    broken = pack_copy()
    (broken / "lesson.toml").write_text("id = 'x'\n", encoding="utf-8")
    good = pack_copy("m1-data-and-features")
    library = load_library(broken.parent, None, DEMOS)
    assert [lesson.id for lesson in library.lessons] == [good.name]
    assert [r.path for r in library.broken] == [broken]
