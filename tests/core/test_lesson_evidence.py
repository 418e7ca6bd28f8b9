"""Every competency a stage's lessons claim can be reached: a level counts as reached with
two pieces of evidence, so each aspect:level tag that a lesson or one of its steps names
must be carried by at least two evidence-bearing steps of that stage (a quiz, a
reflection, or a demo in which the learner trains a model; a step without tags of its own
carries its lesson's)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from classroom_app.core import paths, xapi
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.evaluation.standing import EVIDENCE_PER_LEVEL
from classroom_app.core.lessons.library import load_library
from classroom_app.core.lessons.model import Lesson, Step

# Demos whose trained model is recorded as an experiment with a test accuracy.
TRAINING_DEMOS = ("teach_the_computer", "teach_gestures")
# The stages whose lessons have been reviewed for evidence; the others follow.
CHECKED_STAGES = ("senior",)


def bears_evidence(step: Step) -> bool:
    return step.type in ("quiz", "reflection") or (
        step.type == "demo" and step.demo in TRAINING_DEMOS)


def claims_and_evidence(lessons: list[Lesson]) -> tuple[set[str], dict[str, list[str]]]:
    """Every tag the lessons claim, and for each tag the steps that can show it."""
    claimed: set[str] = set()
    evidence: dict[str, list[str]] = defaultdict(list)
    for lesson in lessons:
        claimed.update(lesson.competencies)
        for step in lesson.steps:
            tags = xapi.step_competencies(lesson, step)
            claimed.update(tags)
            if bears_evidence(step):
                for tag in tags:
                    evidence[tag].append(f"{lesson.id}/{step.id}")
    return claimed, evidence


@pytest.mark.parametrize("stage", CHECKED_STAGES)
def test_every_claimed_level_has_two_pieces_of_evidence(stage: str) -> None:
    library = load_library(paths.shipped_lessons_dir(), None, load_catalog().known())
    claimed, evidence = claims_and_evidence(library.by_stage(stage))
    short = {tag: evidence.get(tag, []) for tag in sorted(claimed)
             if len(evidence.get(tag, [])) < EVIDENCE_PER_LEVEL}
    assert not short, short
