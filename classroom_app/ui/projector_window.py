"""Full screen with big type and high contrast, for the back row of the classroom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from classroom_app.core.i18n import tr
from classroom_app.ui.theme import BASE_POINT_SIZE, app_font

PROJECTOR_STYLE = """
QWidget#projector {{ background: #ffffff; }}
QWidget#projector, QWidget#projector * {{ font-size: {body_pt}pt; }}
QWidget#projector QLabel {{ color: #000000; }}
QWidget#projector QLabel[role="title"] {{ font-size: {title_pt}pt; }}
QWidget#projector QLabel[role="question"] {{ font-size: {question_pt}pt; }}
QWidget#projector QTextBrowser {{ background: #ffffff; color: #000000; }}
QWidget#projector QPushButton {{ padding: 0.3em 1em; }}
QWidget#projector QPushButton[choice="true"] {{ padding: 0.1em 0.8em; }}
"""


def projector_style(scale: float) -> str:
    """The projector's style sheet with type ``scale`` times the desk's."""
    return PROJECTOR_STYLE.format(title_pt=round((BASE_POINT_SIZE + 6) * scale),
                                  body_pt=round(BASE_POINT_SIZE * scale),
                                  question_pt=round((BASE_POINT_SIZE + 3) * scale))


class ProjectorWindow(QWidget):
    def __init__(self, content: QWidget, scale: float, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("projector")
        # The task bar and Alt+Tab name the lesson, not the program.
        self.setWindowTitle(tr("{lesson} · on the projector").format(lesson=title)
                            if title else tr("AI Classroom"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(projector_style(scale))
        self.setFont(app_font(scale))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 12, 40, 12)
        layout.addWidget(content)
        self.content = content
        content.setFont(app_font(scale))

    def show_full_screen(self) -> None:
        """Full screen, also where no window manager obeys the request (kiosk, Xvfb)."""
        fill_screen(self)


def fill_screen(window: QWidget) -> None:
    window.setGeometry(window.screen().geometry())
    window.showFullScreen()
