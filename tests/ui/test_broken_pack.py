"""A broken imported pack is refused with its problems; the app runs with the others."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QLabel, QMessageBox

from classroom_app.core import paths


def test_a_broken_pack_is_named_on_the_home_screen(make_window, ctx) -> None:
    target = paths.imported_lessons_dir() / "broken-lesson"
    shutil.copytree(paths.shipped_lessons_dir() / "p2-teach-by-examples", target)
    (target / "en" / "intro.md").unlink()
    ctx.reload_lessons()
    window = make_window()
    warnings = [label for label in window.home.findChildren(QLabel)
                if "broken-lesson" in label.text()]
    assert warnings and "en/intro.md" in warnings[0].toolTip()
    assert len(window.home.cards) == len(ctx.library.lessons) >= 9


def test_importing_a_bad_zip_shows_why(make_window, on_modal, tmp_path) -> None:
    window = make_window(teacher=True)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"definitely not a zip")
    messages = []

    def read_and_close(dialog) -> None:
        messages.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.Ok).click()

    on_modal(read_and_close)
    window.import_lesson(bad)
    assert messages and "zip" in messages[0]


def test_importing_a_pack_again_asks_to_replace_it(make_window, on_modal, ctx,
                                                   pack_copy) -> None:
    """A pack whose id was imported before: the app asks, and replaces it on Yes."""
    pack = pack_copy()
    toml = pack / "lesson.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'id = "p1-how-computers-see"', 'id = "my-lesson"', 1), encoding="utf-8")
    window = make_window(teacher=True)
    window.import_lesson(pack)
    toml.write_text(toml.read_text(encoding="utf-8").replace('en = "How', 'en = "New: How', 1),
                    encoding="utf-8")
    questions = []

    def answer_yes(box: QMessageBox) -> None:
        questions.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    on_modal(answer_yes)
    message = window.import_lesson(pack)
    assert "my-lesson" in questions[0] and "替换" in questions[0]
    assert "my-lesson" in message and ctx.library.get("my-lesson").title["en"].startswith("New:")

    def answer_no(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.No).click()

    on_modal(answer_no)
    assert "已经导入过" in window.import_lesson(pack)
