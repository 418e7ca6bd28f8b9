"""The four competency aspects as a radar chart, painted the same on screen and in the
PDF: rings for understand, apply and create, and the learner's standing as a filled
shape (the way to the next level shows as part of a ring)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from classroom_app.core.lessons.model import LEVELS, aspect_name, level_name

FILL = QColor(21, 101, 192, 90)
EDGE = QColor("#1565c0")
RING = QColor("#bdbdbd")
TEXT = QColor("#202020")


def paint_radar(painter: QPainter, rect: QRectF, aspects: Sequence[str],
                values: Sequence[float], with_levels: bool = True) -> None:
    """Paint ``values`` (0..3 each, one per aspect) inside ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = painter.fontMetrics()
    label_w = min(rect.width() * 0.3, max(metrics.horizontalAdvance(aspect_name(a))
                                          for a in aspects) * 0.62 + 8)
    radius = max(10.0, min(rect.width() / 2 - label_w - 10, rect.height() / 2
                           - metrics.height() * 2.4))
    centre = rect.center()
    count = len(aspects)

    def point(index: int, value: float) -> QPointF:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * value / len(LEVELS)
        return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

    painter.setBrush(Qt.BrushStyle.NoBrush)
    for ring in range(1, len(LEVELS) + 1):
        painter.setPen(QPen(RING, 1))
        painter.drawPolygon(QPolygonF([point(i, ring) for i in range(count)]))
        if with_levels:
            painter.setPen(QColor("#757575"))
            where = point(0, ring)
            painter.drawText(QPointF(where.x() + 4, where.y() + metrics.ascent() / 2),
                             level_name(LEVELS[ring - 1]))
    for i in range(count):
        painter.setPen(QPen(RING, 1))
        painter.drawLine(centre, point(i, len(LEVELS)))
    shape = QPolygonF([point(i, max(0.08, min(3.0, v))) for i, v in enumerate(values)])
    painter.setPen(QPen(EDGE, 2.5))
    painter.setBrush(FILL)
    painter.drawPolygon(shape)
    painter.setPen(TEXT)
    for i, aspect in enumerate(aspects):
        tip = point(i, len(LEVELS))
        side = math.cos(-math.pi / 2 + 2 * math.pi * i / count)
        height = metrics.height() * 2.2
        if side > 0.3:  # right of the chart: the name starts at the tip
            box = QRectF(tip.x() + 6, tip.y() - height / 2, label_w, height)
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        elif side < -0.3:  # left: it ends there
            box = QRectF(tip.x() - 6 - label_w, tip.y() - height / 2, label_w, height)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        else:  # above or below
            above = tip.y() < centre.y()
            box = QRectF(tip.x() - label_w * 1.5, tip.y() - (height + 4 if above else -4),
                         label_w * 3, height)
            align = Qt.AlignmentFlag.AlignHCenter | (
                Qt.AlignmentFlag.AlignBottom if above else Qt.AlignmentFlag.AlignTop)
        painter.drawText(box, align | Qt.TextFlag.TextWordWrap, aspect_name(aspect))
    painter.restore()


class RadarChart(QWidget):
    def __init__(self, aspects: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.aspects = list(aspects)
        self.values = [0.0] * len(self.aspects)
        self.setMinimumSize(320, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_values(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 360)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        paint_radar(painter, QRectF(self.rect()), self.aspects, self.values)
