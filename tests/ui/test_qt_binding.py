"""PySide6 6.12.0 under Python 3.11 loses a reference to None on every call of a void
method (setText, update, QPainter.drawRect...); a busy demo then crashes the app with
"deallocating None" within minutes. The pinned version must not."""

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QLabel


def test_void_methods_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    path = QPainterPath()
    before = sys.getrefcount(None)
    for i in range(500):
        label.setText(str(i))
        label.update()
        path.lineTo(QPointF(i, i))
    assert sys.getrefcount(None) - before > -50
