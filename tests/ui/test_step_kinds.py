"""A step kind is one entry of the STEP_KINDS table plus its views: the validator,
progress, xAPI and the evaluation read the table, so a kind added there (and given a
view in the player and the session's step panel) works from pack to evaluation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from classroom_app.core import i18n, paths, xapi
from classroom_app.core.context import AppContext
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.evaluation.facts import fact_from
from classroom_app.core.lessons.model import STEP_KINDS, Lesson, StepKind
from classroom_app.core.lessons.pack import load_pack
from classroom_app.ui.lessons.player import STEP_VIEWS, LessonPlayerView
from classroom_app.ui.lessons.step_views import TextStepView
from classroom_app.ui.session.step_panel import PANEL_VIEWS, SessionStepPanel

DEMOS = load_catalog().known()
# A kind a contributor might add: Markdown to watch a clip, recorded as completed.
VIDEO = StepKind("video", has_markdown=True, needs_demo=False, has_questions=False,
                 scored=False, writes_response=False, activity_type="step", verb="completed",
                 evidence="step", judged_by=None, solo_share=1.0, redo_share=0.5)


@pytest.fixture(params=["as shipped", "with a kind added"])
def kinds(request, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[StepKind, ...]]:
    """The table as shipped, or with VIDEO added the way a contributor adds a kind."""
    i18n.set_language("en")
    if request.param == "with a kind added":
        monkeypatch.setitem(STEP_KINDS, VIDEO.name, VIDEO)
        monkeypatch.setitem(STEP_VIEWS, VIDEO.name, LessonPlayerView._text_view)
        monkeypatch.setitem(PANEL_VIEWS, VIDEO.name, TextStepView)
    yield tuple(STEP_KINDS.values())


def _step(kind: StepKind, minutes: int) -> str:
    lines = ["[[steps]]", f'id = "{kind.name}-step"', f'type = "{kind.name}"',
             f"minutes = {minutes}", f'title = {{ zh_CN = "{kind.name}", en = "{kind.name}" }}']
    if kind.needs_demo:
        lines.append('demo = "face_detection"')
    if kind.has_questions:
        lines += ["[[steps.questions]]", 'kind = "truefalse"',
                  'prompt = { zh_CN = "电脑看到的是数字。", en = "A computer sees numbers." }',
                  "answer = true",
                  'explanation = { zh_CN = "图片由像素组成。", en = "A picture is pixels." }']
    return "\n".join(lines)


def write_pack(root: Path, kinds: tuple[StepKind, ...]) -> Path:
    """A 40-minute primary lesson with one step of each kind, in the table's order."""
    minutes = [40 // len(kinds)] * len(kinds)
    minutes[0] += 40 - sum(minutes)
    head = ['id = "p9-every-kind"', 'stage = "primary"', "grades = [3]", "minutes = 40",
            'competencies = ["ai-techniques-and-applications:understand"]',
            'title = { zh_CN = "每种步骤", en = "Every kind of step" }',
            'summary = { zh_CN = "每种步骤各一个。", en = "One step of each kind." }',
            "[objectives]", 'zh_CN = ["认识步骤"]', 'en = ["Know the steps"]']
    steps = [_step(kind, n) for kind, n in zip(kinds, minutes, strict=True)]
    pack = root / "p9-every-kind"
    for lang in i18n.LANGUAGES:
        (pack / lang).mkdir(parents=True)
        for kind in kinds:
            if kind.has_markdown:
                (pack / lang / f"{kind.name}-step.md").write_text(f"Text of {kind.name}.\n",
                                                                encoding="utf-8")
    (pack / "lesson.toml").write_text("\n".join(head) + "\n\n" + "\n\n".join(steps) + "\n",
                                      encoding="utf-8")
    return pack


@pytest.fixture
def pupil(ctx: AppContext):
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260401", "王小明")])
    return info, ctx.store.learners(info.id)[0]


@pytest.fixture
def lesson(kinds: tuple[StepKind, ...], tmp_path: Path) -> Lesson:
    result = load_pack(write_pack(tmp_path, kinds), DEMOS, shipped=False)
    assert result.ok, [str(p) for p in result.problems]
    assert result.lesson is not None
    return result.lesson


def test_the_pack_format_names_every_kind() -> None:
    """Authors learn the kinds from lessons/FORMAT.md: its list is the table's."""
    text = (paths.shipped_lessons_dir() / "FORMAT.md").read_text(encoding="utf-8")
    [line] = [line for line in text.splitlines() if line.startswith('type = "text"')]
    named = [name.strip() for name in line.split("#", 1)[1].split("|")]
    assert named == list(STEP_KINDS)


def test_every_kind_has_a_view_in_the_player_and_the_step_panel(kinds) -> None:
    """A kind without a view would fail only when a lesson with it is shown."""
    assert set(STEP_VIEWS) == set(STEP_KINDS) == set(PANEL_VIEWS)


def test_the_validator_accepts_exactly_the_kinds_of_the_table(kinds, lesson,
                                                               tmp_path: Path) -> None:
    """Every kind in the table loads; a type not in it is refused with the table's kinds."""
    assert tuple(step.type for step in lesson.steps) == tuple(STEP_KINDS)
    pack = tmp_path / "p9-every-kind"
    toml = pack / "lesson.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('type = "text"', 'type = "poem"'),
                    encoding="utf-8")
    [problem] = load_pack(pack, DEMOS, shipped=False).problems
    assert "'poem'" in str(problem)
    assert all(name in str(problem) for name in STEP_KINDS)


def test_progress_records_each_kind_as_its_table_entry_says(kinds, lesson, ctx: AppContext,
                                                            pupil) -> None:
    """Each completion has the kind's verb and activity type, a score if the kind is
    scored, and reads back as the kind's evaluation fact."""
    info, learner = pupil
    attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
    for step in lesson.steps:
        for index in range(len(step.questions)):
            ctx.progress.record_answer(attempt, lesson, step, index, frozenset({0}))
        response = "电脑看图片其实是在看数字。" if step.kind.writes_response else None
        ctx.progress.complete_step(attempt, lesson, step, 30.0, response)
    completions = [json.loads(row["statement"]) for row in ctx.store.statements()
                   if ":step:" in row["statement"] and ":question:" not in row["statement"]]
    assert len(completions) == len(lesson.steps)
    for step, statement in zip(lesson.steps, completions, strict=True):
        kind = STEP_KINDS[step.type]
        assert statement["verb"]["id"] == xapi.ADL + kind.verb
        assert statement["object"]["definition"]["type"] == xapi.ACTIVITY_TYPES[
            kind.activity_type]
        assert ("score" in statement["result"]) == kind.scored
        fact = fact_from(statement)
        assert fact is not None and fact.kind == kind.evidence and fact.step == step.id


def test_the_player_and_the_step_panel_show_every_kind(kinds, lesson, ctx: AppContext,
                                                      pupil, qtbot) -> None:
    """The player builds each step's view from its table; so does the session's panel."""
    attempt = ctx.progress.open_class_session(lesson, pupil[0].id)
    player = LessonPlayerView(ctx, lesson, attempt, projector=True,
                              open_demo=lambda demo, params: None)
    panel = SessionStepPanel(lesson)
    qtbot.addWidget(player)
    qtbot.addWidget(panel)
    for index, step in enumerate(lesson.steps):
        player.go_to(index)
        panel.show_step(index)
        assert player.stack.currentWidget() is player.views[index]
        # A quiz names itself; a Markdown step (not opening with a heading) shows the title.
        assert player.step_title.isVisibleTo(player) == step.kind.has_markdown
        assert panel.stack.currentWidget() is panel.views[(index, False)]
