"""Fonts, colours and the style sheet: one look for the desk and a louder one for the
projector (big type, high contrast, large targets)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication

CJK_FAMILIES = ["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "sans-serif"]
BASE_POINT_SIZE = 11
OK_COLOUR = "#1b7f3b"
WRONG_COLOUR = "#b3261e"
ACCENT = "#1f5fbf"

STYLE = f"""
QWidget {{ color: #111; }}
QPushButton {{ padding: 0.35em 0.9em; border-radius: 6px; border: 1px solid #8a8a8a;
              background: #f4f4f4; }}
QPushButton:hover {{ background: #e8eefb; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #888; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton[nav="true"] {{ padding: 0.35em 0.55em; }}
QPushButton[choice="true"] {{ text-align: left; padding: 0.2em 0.9em; }}
QPushButton[choice="true"]:checked {{ background: #dbe7fb; border: 2px solid {ACCENT}; }}
QPushButton[choice="true"]:disabled {{ color: #111; }}
QPushButton[verdict="right"]:disabled {{ background: #dff3e4; border: 3px solid {OK_COLOUR}; }}
QPushButton[verdict="wrong"]:disabled {{ background: #fbe3e1; border: 3px solid {WRONG_COLOUR}; }}
QLabel[role="title"] {{ font-size: {BASE_POINT_SIZE + 6}pt; font-weight: bold; }}
QLabel[role="question"] {{ font-size: {BASE_POINT_SIZE + 3}pt; font-weight: bold; }}
QLabel[role="subtitle"] {{ color: #444; }}
QLabel[role="big"] {{ font-size: {BASE_POINT_SIZE + 3}pt; }}
QLabel[role="stars"] {{ font-size: {BASE_POINT_SIZE + 3}pt; color: #e65100; }}
QLabel[role="feedback-right"] {{ color: {OK_COLOUR}; font-weight: bold; }}
QLabel[role="feedback-wrong"] {{ color: {WRONG_COLOUR}; font-weight: bold; }}
QFrame[role="card"] {{ background: white; border: 1px solid #c9c9c9; border-radius: 8px; }}
QTabBar::tab {{ padding: 0.5em 1.4em; font-size: {BASE_POINT_SIZE + 2}pt; }}
QTabBar::tab:selected {{ font-weight: bold; color: {ACCENT}; }}
"""


def app_font(scale: float = 1.0) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    return font


def apply(app: QGuiApplication) -> None:
    app.setFont(app_font())
    app.setStyleSheet(STYLE)  # type: ignore[attr-defined]


def repolish(widget) -> None:  # noqa: ANN001 - any QWidget
    """Re-apply the style sheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
