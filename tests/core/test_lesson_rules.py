"""The curriculum's rules every shipped lesson follows, checked over each stage: every
competency a stage claims can be reached with evidence, and quizzes do not give their
answers away (balanced true/false items without absolutes, varied multiple answers)."""

from __future__ import annotations

from collections import Counter

import pytest

from classroom_app.core import paths
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.evaluation.standing import EVIDENCE_PER_LEVEL
from classroom_app.core.lessons.library import load_library
from classroom_app.core.lessons.model import STAGES, Lesson, Question, Step
from classroom_app.core.xapi import step_competencies

# The demos that record an experiment statement (evidence) when a pupil finishes them.
EXPERIMENT_DEMOS = {"teach_the_computer", "teach_gestures", "rock_paper_scissors"}
# A false statement that is false only because of such a word gives itself away.
ABSOLUTES = ("一定", "从来不", "从不", "只要", "总是", "永远不", "绝对")
LIBRARY = load_library(paths.shipped_lessons_dir(), None, load_catalog().known())


def evidence_bearing(step: Step) -> bool:
    return step.type in ("quiz", "reflection") or (
        step.type == "demo" and step.demo in EXPERIMENT_DEMOS)


def claimed(lessons: list[Lesson]) -> set[str]:
    tags = {tag for lesson in lessons for tag in lesson.competencies}
    return tags | {tag for lesson in lessons for step in lesson.steps
                   for tag in step.competencies}


def questions(stage: str, kind: str) -> list[tuple[str, Question]]:
    return [(lesson.id, q) for lesson in LIBRARY.by_stage(stage) for step in lesson.steps
            for q in step.questions if q.kind == kind]


@pytest.mark.parametrize("stage", STAGES)
def test_every_competency_a_stage_claims_can_be_reached(stage: str) -> None:
    """A level needs two pieces of evidence: every aspect:level the stage's lessons tag
    is on at least two steps that produce evidence (a quiz, a reflection, a demo that
    records an experiment)."""
    lessons = LIBRARY.by_stage(stage)
    counts: Counter[str] = Counter(
        tag for lesson in lessons for step in lesson.steps if evidence_bearing(step)
        for tag in step_competencies(lesson, step))
    short = {tag: counts[tag] for tag in claimed(lessons)
             if counts[tag] < EVIDENCE_PER_LEVEL}
    assert not short, f"{stage}: too little evidence for {short}"


@pytest.mark.parametrize("stage", STAGES)
def test_true_or_false_items_are_balanced_and_fair(stage: str) -> None:
    items = questions(stage, "truefalse")
    assert items, stage
    true = sum(1 for _, q in items if q.correct == frozenset({0}))
    assert 0.35 <= true / len(items) <= 0.65, f"{stage}: {true} of {len(items)} are true"
    hinging = [(lesson, q.prompt["zh_CN"]) for lesson, q in items
               if q.correct == frozenset({1}) and any(w in q.prompt["zh_CN"] for w in ABSOLUTES)]
    assert not hinging, hinging


@pytest.mark.parametrize("stage", STAGES)
def test_multiple_answer_items_are_not_always_three_of_four(stage: str) -> None:
    items = questions(stage, "multiple")
    patterns = Counter((len(q.correct), len(q.options["zh_CN"])) for _, q in items)
    assert patterns[(3, 4)] <= len(items) / 2, f"{stage}: {dict(patterns)}"


def test_every_question_explains_its_answer() -> None:
    for lesson in LIBRARY.lessons:
        for step in lesson.steps:
            for question in step.questions:
                assert all(question.explanation.get(lang, "").strip()
                           for lang in ("zh_CN", "en")), (lesson.id, step.id)
