"""Texts from lesson packs are shown as the text they are: a title written as HTML (a
picture elsewhere on the PC, bold type) is never rendered as rich text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from classroom_app.core.context import AppContext
from classroom_app.core.lessons.library import LessonLibrary
from classroom_app.core.lessons.model import Lesson
from classroom_app.ui.lessons.player import LessonPlayerView
from classroom_app.ui.session.step_panel import SessionStepPanel

MARK = "<b>粗体</b>"
HOSTILE = f'<img src="/usr/share/pixmaps/debian-logo.png">{MARK}'


def _hostile(text: dict[str, str]) -> dict[str, str]:
    return {lang: HOSTILE + value for lang, value in text.items()}


@pytest.fixture
def lesson(ctx: AppContext) -> Lesson:
    """The first lesson with its title, summary, step titles and prompts as HTML."""
    base = ctx.library.lessons[0]
    steps = tuple(replace(step, title=_hostile(step.title),
                          questions=tuple(replace(q, prompt=_hostile(q.prompt),
                                                  explanation=_hostile(q.explanation))
                                          for q in step.questions))
                  for step in base.steps)
    changed = replace(base, title=_hostile(base.title), summary=_hostile(base.summary),
                      steps=steps)
    ctx.library = LessonLibrary((changed, *ctx.library.lessons[1:]), ctx.library.broken)
    return changed


def rich_labels(widget: QWidget) -> list[str]:
    """Labels showing the hostile text that would render it as rich text."""
    return [label.text() for label in widget.findChildren(QLabel)
            if MARK in label.text() and label.textFormat() != Qt.TextFormat.PlainText]


def shown(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if MARK in label.text()]


def test_the_home_card_shows_titles_as_text(make_window, lesson: Lesson) -> None:
    window = make_window()
    card = window.home.cards[lesson.id]
    assert shown(card) and not rich_labels(card)


def test_the_player_and_the_step_panel_show_titles_as_text(lesson: Lesson, ctx: AppContext,
                                                          school_class, qtbot) -> None:
    learner = ctx.store.learners(school_class.id)[0]
    attempt = ctx.progress.open_class_session(lesson, learner.id)
    player = LessonPlayerView(ctx, lesson, attempt, projector=True,
                              open_demo=lambda demo, params: None)
    panel = SessionStepPanel(lesson)
    qtbot.addWidget(player)
    qtbot.addWidget(panel)
    seen = 0
    for index, _ in enumerate(lesson.steps):
        player.go_to(index)
        panel.show_step(index)
        seen += len(shown(player)) + len(shown(panel))
        assert not rich_labels(player) and not rich_labels(panel), index
    assert seen
