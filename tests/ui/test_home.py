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
    assert f"{lesson.minutes}分钟" in texts
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
