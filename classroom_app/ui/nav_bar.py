"""The bar of places to go across the top of the main window.

Pupils see the lessons, their own page, the demos, Settings and *Teacher*; the
teacher's pages and *Lock* show only while the teacher PIN is entered. The app's name
gives way first on a narrow screen (the window title still says it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from classroom_app.core.i18n import tr

TEACHER_ONLY = ("classes", "progress", "sync", "session", "lock")


class NavBar(QWidget):
    def __init__(self, entries: list[tuple[str, str, Callable[[], object]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        title = QLabel(tr("AI Classroom"))
        title.setProperty("role", "title")
        title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        title.setMinimumWidth(0)
        bar.addWidget(title, 1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, action in entries:
            button = QPushButton(text)
            button.setProperty("nav", True)
            button.clicked.connect(action)
            bar.addWidget(button)
            self.buttons[key] = button

    def show_teacher(self, unlocked: bool) -> None:
        """Show the teacher's pages (and Lock), or the Teacher button that asks the PIN."""
        for key in TEACHER_ONLY:
            self.buttons[key].setVisible(unlocked)
        self.buttons["teacher"].setVisible(not unlocked)
