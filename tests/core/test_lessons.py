"""Lesson packs: the shipped ones are complete, broken ones are reported by file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classroom_app.core import i18n, paths
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.lessons.library import load_library
from classroom_app.core.lessons.model import PERIOD_MINUTES, STAGES
from classroom_app.core.lessons.pack import load_pack

DEMOS = load_catalog().known()


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
            assert abs(lesson.minutes - lesson.periods * PERIOD_MINUTES[stage]) <= 5
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


def _add_minutes(toml: Path, step_id: str, extra: int) -> int:
    """Lengthen ``step_id`` by ``extra`` minutes, keep the lesson's total the steps' sum,
    and return that total."""
    text = toml.read_text(encoding="utf-8")
    step = re.compile(rf'(id = "{step_id}"\ntype = "\w+"\nminutes = )(\d+)')
    text = step.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + extra}", text)
    total = sum(int(m) for m in re.findall(r"^minutes = (\d+)$", text, re.M)[1:])
    toml.write_text(re.sub(r"^minutes = \d+$", f"minutes = {total}", text, count=1,
                           flags=re.M), encoding="utf-8")
    return total


def test_steps_that_do_not_fill_the_class_period_are_reported(pack_copy) -> None:
    """A primary period is 40 minutes: steps of 50 minutes in all do not fit it."""
    pack = pack_copy()
    toml = pack / "lesson.toml"
    assert _add_minutes(toml, "intro", 10) == 50
    assert load_pack(pack, DEMOS).lesson is None
    problems = problems_of(pack)
    line = _line_of(toml, r"^minutes = \d+$")
    assert any(p.startswith(f"{toml}:{line}:") and "1 class period(s)" in p and "40" in p
               for p in problems), problems


def test_a_two_period_lesson_is_checked_against_two_periods(pack_copy) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    assert _add_minutes(toml, "intro", 40) == 80
    text = re.sub(r"^periods = \d+\n", "", toml.read_text(encoding="utf-8"), flags=re.M)
    text = text.replace("minutes = 80\n", "minutes = 80\nperiods = 2\n", 1)
    toml.write_text(text, encoding="utf-8")
    result = load_pack(pack, DEMOS)
    assert result.lesson is not None, [str(p) for p in result.problems]
    assert result.lesson.periods == 2
    toml.write_text(text.replace("periods = 2", "periods = 9"), encoding="utf-8")
    assert any("'periods' must be a whole number from 1 to 4" in p for p in problems_of(pack))


def test_names_pupils_see_are_given_in_both_languages(pack_copy) -> None:
    """p2's class names are shown to pupils: each language shows its own, and a pack
    that gives them in one language only is refused with the line."""
    pack = pack_copy("p2-teach-by-examples")
    lesson = load_pack(pack, DEMOS).lesson
    assert lesson is not None
    step = next(s for s in lesson.steps if s.demo == "teach_the_computer")
    zh, en = step.params_for("zh_CN")["classes"], step.params_for("en")["classes"]
    assert isinstance(zh, list) and isinstance(en, list) and len(zh) == len(en) >= 2
    assert all(re.search("[\u4e00-\u9fff]", name) for name in zh)
    assert not any(re.search("[\u4e00-\u9fff]", name) for name in en)
    toml = pack / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    one_language = re.sub(r"^params = .*$", 'params = { classes = ["石头", "剪刀"] }', text,
                          flags=re.M)
    toml.write_text(one_language, encoding="utf-8")
    line = _line_of(toml, r"^params = ")
    assert any(p.startswith(f"{toml}:{line}:") and "'classes' is text that pupils see" in p
               for p in problems_of(pack))
    no_english = re.sub(r"^params = .*$", 'params = { classes = { zh_CN = ["石头", "剪刀"] } }',
                        text, flags=re.M)
    toml.write_text(no_english, encoding="utf-8")
    assert any("parameter 'classes' has no en value" in p for p in problems_of(pack))


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


def test_teacher_notes_in_one_language_only_are_reported(pack_copy) -> None:
    pack = pack_copy("s2-responsible-ai")
    lesson = load_pack(pack, DEMOS).lesson
    assert lesson is not None and lesson.teacher_notes["en"].strip()
    (pack / "en" / "teacher-notes.md").unlink()
    assert any("the teacher notes have no en text" in p for p in problems_of(pack))


@pytest.mark.parametrize("markdown", [
    "![系统图标][r]\n\n[r]: /usr/share/pixmaps/debian-logo.png",
    "![系统图标][r]\n\n[R]: </usr/share/pixmaps/debian-logo.png> \"标题\"",
    "![r]\n\n  [r]: ../../../etc/hostname",
    "![x][]\n\n[x]: file:///usr/share/pixmaps/debian-logo.png",
    "![x](/usr/share/pixmaps/debian-logo.png)",
    "![x](FILE:///usr/share/pixmaps/debian-logo.png)",
    "<img alt='x' src='../../x.png'>",
])
def test_a_picture_outside_the_pack_is_refused_with_its_line(pack_copy, markdown: str) -> None:
    """Reference-style pictures too: the line holding the path is named."""
    pack = pack_copy()
    md = pack / "zh_CN" / "intro.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\n" + markdown + "\n", encoding="utf-8")
    lines = md.read_text(encoding="utf-8").splitlines()
    line = max(n for n, text in enumerate(lines, start=1) if "/" in text)  # the path's
    found = [p for p in problems_of(pack) if p.startswith(f"{md}:")]
    assert found and all(p.startswith(f"{md}:{line}:") for p in found), found
    assert all("outside the pack" in p or "not a file in the pack" in p for p in found)


@pytest.mark.parametrize("depth", [5_000, 20_000])
@pytest.mark.parametrize("opening", ["[", "{a = "])
def test_toml_nested_thousands_deep_is_a_clear_problem(pack_copy, depth: int,
                                                       opening: str) -> None:
    """Not a RecursionError: one sentence naming lesson.toml."""
    pack = pack_copy()
    toml = pack / "lesson.toml"
    closing = "]" if opening == "[" else "}"
    toml.write_text(toml.read_text(encoding="utf-8") + "\nnested = " + opening * depth
                    + "1" * (opening != "[") + closing * depth + "\n", encoding="utf-8")
    problems = problems_of(pack)
    assert len(problems) == 1 and problems[0].startswith(f"{toml}")
    assert "nested too deeply" in problems[0]


@pytest.mark.parametrize("where", ["lesson", "every step"])
def test_an_absurd_number_of_minutes_is_refused_clearly(pack_copy, where: str) -> None:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"^minutes = \d+$", f"minutes = {10**30}", text,
                           count=1 if where == "lesson" else 0, flags=re.M), encoding="utf-8")
    problems = problems_of(pack)
    assert problems and all("from 1 to 180" in p for p in problems), problems
    assert not any(str(10**30) in p for p in problems)
