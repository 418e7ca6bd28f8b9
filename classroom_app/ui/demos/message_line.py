"""The teach demos' message line: what just happened, in the warning colour if it failed."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QLabel, QWidget

from classroom_app.core.vision.teach_project import ProjectError
from classroom_app.ui.theme import repolish


class SavedProject(Protocol):
    def save(self) -> None:
        """Write the project to its folder; a ProjectError when it cannot."""


class MessageLine(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def say(self, text: str, problem: bool = False) -> None:
        self.setText(text)
        self.setProperty("role", "feedback-wrong" if problem else "")
        repolish(self)

    def save(self, project: SavedProject | None) -> None:
        """Save the learner's project as it changes; when it cannot be, say why."""
        if project is None:
            return
        try:
            project.save()
        except ProjectError as error:
            self.say(str(error), True)
