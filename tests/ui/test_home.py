"""The home screen in Chinese and, after Settings, in English."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel

from classroom_app.core.lessons.model import STAGES


def test_home_shows_three_stages_and_their_lessons(make_window, ctx) -> None:
    window = make_window()
    tabs = window.home.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["小学", "初中", "高中"]
    for stage in STAGES:
        for lesson in ctx.library.by_stage(stage):
            card = window.home.cards[lesson.id]
            assert card.lesson is lesson
    lesson = ctx.library.get("p1-how-computers-see")
    card = window.home.cards[lesson.id]
    texts = " ".join(label.text() for label in card.findChildren(QLabel))
    assert lesson.title["zh_CN"] in texts and lesson.summary["zh_CN"] in texts
    assert f"{lesson.periods} 课时（{lesson.minutes} 分钟）" in texts
    assert all(objective in texts for objective in lesson.objectives["zh_CN"])
    assert window.windowTitle() == "AI课堂"


def test_settings_switch_the_whole_window_to_english(make_window, on_modal, ctx, qtbot) -> None:
    window = make_window()

    def choose_english(dialog) -> None:
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    on_modal(choose_english)
    window.nav["settings"].click()
    tabs = window.home.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Primary school", "Middle school", "Senior high school"]
    assert window.nav["settings"].text() == "Settings"
    assert ctx.settings.language == "en"


def test_teacher_notes_are_for_the_teacher_only(make_window, on_modal, ctx) -> None:
    """Every shipped lesson has teacher notes; pupils never see the button, the teacher
    (after the PIN) opens them beside the lesson, never on the projector."""
    assert all(lesson.teacher_notes.keys() == {"zh_CN", "en"} for lesson in ctx.library.lessons)
    pupils = make_window()
    card = pupils.home.cards["s2-responsible-ai"]
    assert not card.notes_button.isVisibleTo(card)
    window = make_window(teacher=True)
    card = window.home.cards["s2-responsible-ai"]
    assert card.notes_button.isVisibleTo(card)
    shown = []

    def read(dialog) -> None:
        shown.append(dialog.text.toPlainText())
        dialog.reject()

    on_modal(read)
    card.notes_button.click()
    first_line = card.lesson.teacher_notes["zh_CN"].strip().splitlines()[0].lstrip("# ")
    assert shown and first_line in shown[0]
    window.teacher_unlocked = False
    assert not card.notes_button.isVisibleTo(card)
