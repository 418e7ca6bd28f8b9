"""Small painted charts for the vision demos: confidence bars, a training curve, and a
confusion matrix. Large type and strong colours: they are read from the back of a room."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from classroom_app.core.i18n import tr

BAR_COLOURS = ("#2e7d32", "#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e",
               "#558b2f", "#283593", "#c62828")
TRACK = QColor("#e0e0e0")
TEXT = QColor("#202020")
MUTED_BAR = QColor("#757575")
MUTED_TEXT = QColor("#616161")


class ConfidenceBars(QWidget):
    """One row per label: the name, a bar as long as the confidence, and the percentage.
    A row with a note has a grey bar and the note written in grey beside it."""

    def __init__(self, rows: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[tuple[str, float]] = []
        self.notes: list[str] = []
        self.rows = rows
        self.setMinimumHeight(rows * 30)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_items(self, items: Sequence[tuple[str, float]], notes: Sequence[str] = ()) -> None:
        self.items = list(items)[: self.rows]
        self.notes = (list(notes) + [""] * len(self.items))[: len(self.items)]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(360, self.rows * 36)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        row_h = self.height() / max(self.rows, 1)
        metrics = painter.fontMetrics()
        name_w = min(self.width() * 0.42, max([metrics.horizontalAdvance(n)
                                               for n, _ in self.items] + [40]) + 12)
        pct_w = metrics.horizontalAdvance("100%") + 10
        bar_w = max(10.0, self.width() - name_w - pct_w)
        for i, (name, value) in enumerate(self.items):
            top = i * row_h
            bar = QRectF(name_w, top + row_h * 0.2, bar_w, row_h * 0.6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(bar, 4, 4)
            note = self.notes[i] if i < len(self.notes) else ""
            painter.setBrush(MUTED_BAR if note else QColor(BAR_COLOURS[i % len(BAR_COLOURS)]))
            filled = QRectF(bar.left(), bar.top(), bar.width() * max(0.0, min(1.0, value)),
                            bar.height())
            painter.drawRoundedRect(filled, 4, 4)
            if note:
                self._draw_note(painter, bar, filled, note)
            painter.setPen(TEXT)
            elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(name_w) - 8)
            painter.drawText(QRectF(0, top, name_w - 8, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, elided)
            painter.drawText(QRectF(name_w + bar_w + 6, top, pct_w, row_h),
                             Qt.AlignmentFlag.AlignVCenter, f"{value * 100:.0f}%")

    @staticmethod
    def _draw_note(painter: QPainter, bar: QRectF, filled: QRectF, note: str) -> None:
        """The note, a little smaller, in grey on the empty part of the track, or in white
        on the bar when the bar is the longer part."""
        painter.save()
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        free = bar.right() - filled.right()
        if free >= filled.width():
            painter.setPen(MUTED_TEXT)
            area = QRectF(filled.right() + 6, bar.top(), free - 6, bar.height())
        else:
            painter.setPen(QColor("white"))
            area = QRectF(bar.left() + 6, bar.top(), filled.width() - 6, bar.height())
        text = painter.fontMetrics().elidedText(note, Qt.TextElideMode.ElideRight,
                                                int(area.width()))
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()


class TrainingCurve(QWidget):
    """Loss (falling) and accuracy (rising) per epoch, drawn as the model trains."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss: list[float] = []
        self.train_acc: list[float] = []
        self.test_acc: list[float] = []
        self.epochs = 1
        self.setMinimumSize(260, 150)

    def clear(self, epochs: int) -> None:
        self.loss, self.train_acc, self.test_acc = [], [], []
        self.epochs = max(1, epochs)
        self.update()

    def add(self, loss: float, train_accuracy: float, test_accuracy: float) -> None:
        self.loss.append(loss)
        self.train_acc.append(train_accuracy)
        self.test_acc.append(test_accuracy)
        self.update()

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        top_loss = max(self.loss[:1] + [1.0])
        series = ((self.loss, "#c62828", tr("mistakes"), top_loss),
                  (self.train_acc, "#1565c0", tr("right in training"), 1.0),
                  (self.test_acc, "#2e7d32", tr("right in the test"), 1.0))
        labels = [label for _, _, label, _ in series]
        self._fit_legend(painter, labels)
        metrics = painter.fontMetrics()
        line_h = metrics.height() + 6
        places = self._legend_places(labels, metrics)
        legend_h = line_h * (1 + max(row for _, row in places))
        area = QRectF(36, legend_h + 4, self.width() - 44, self.height() - legend_h - 24)
        painter.fillRect(self.rect(), QColor("#fafafa"))
        painter.setPen(QPen(QColor("#9e9e9e"), 1))
        painter.drawRect(area)
        painter.setPen(TEXT)
        painter.drawText(QRectF(0, area.top() - 8, 32, 16), Qt.AlignmentFlag.AlignRight, "1")
        painter.drawText(QRectF(0, area.bottom() - 8, 32, 16), Qt.AlignmentFlag.AlignRight, "0")
        painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), 20),
                         Qt.AlignmentFlag.AlignCenter, tr("training rounds"))
        for (values, colour, label, scale), (x, row) in zip(series, places, strict=True):
            middle = row * line_h + line_h / 2
            painter.setPen(QPen(QColor(colour), 3))
            painter.drawLine(QPointF(x, middle), QPointF(x + 18, middle))
            painter.setPen(TEXT)
            painter.drawText(QPointF(x + 22, middle + metrics.ascent() / 2 - 1), label)
            if values:
                self._draw_line(painter, values, colour, scale, area)

    def _fit_legend(self, painter: QPainter, labels: list[str]) -> None:
        """A smaller type (down to 80 %) when the legend would not fit on one line."""
        metrics = painter.fontMetrics()
        wanted = 40 + sum(34 + metrics.horizontalAdvance(label) for label in labels)
        if wanted > self.width():
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * max(0.8, self.width() / wanted))
            painter.setFont(font)

    def _legend_places(self, labels: list[str], metrics: QFontMetrics) -> list[tuple[float, int]]:
        """Where each legend entry goes: (x, row), on a new row when the width is used up
        (English words are long on a 1024-pixel screen)."""
        places, x, row = [], 40.0, 0
        for label in labels:
            width = 22 + metrics.horizontalAdvance(label)
            if x > 40 and x + width > self.width() - 4:
                x, row = 40.0, row + 1
            places.append((x, row))
            x += width + 12
        return places

    def _draw_line(self, painter: QPainter, values: list[float], colour: str, scale: float,
                   area: QRectF) -> None:
        path = QPainterPath()
        for i, value in enumerate(values):
            point = QPointF(area.left() + area.width() * (i + 1) / self.epochs,
                            area.bottom() - area.height() * min(1.0, value / scale))
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        painter.setPen(QPen(QColor(colour), 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)


class ConfusionMatrixView(QWidget):
    """Rows: the true class; columns: what the model said. The diagonal is right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.counts = np.zeros((0, 0), int)
        self.setMinimumSize(220, 160)

    def set_matrix(self, names: Sequence[str], counts: np.ndarray) -> None:
        self.names, self.counts = list(names), np.asarray(counts)
        self.update()

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        k = len(self.names)
        if not k:
            return
        metrics = painter.fontMetrics()
        label_w = min(self.width() * 0.35, max(metrics.horizontalAdvance(n) for n in self.names)
                      + 10)
        header_h = metrics.height() * 2 + 6
        cell_w = (self.width() - label_w) / k
        cell_h = min(48.0, (self.height() - header_h) / k)
        painter.setPen(TEXT)
        painter.drawText(QRectF(label_w, 0, self.width() - label_w, metrics.height()),
                         Qt.AlignmentFlag.AlignCenter, tr("the model said"))
        for j, name in enumerate(self.names):
            rect = QRectF(label_w + j * cell_w, metrics.height() + 2, cell_w, metrics.height())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(cell_w)))
        for i, name in enumerate(self.names):
            top = header_h + i * cell_h
            painter.setPen(TEXT)
            painter.drawText(QRectF(0, top, label_w - 6, cell_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                int(label_w) - 8))
            row_total = max(1, int(self.counts[i].sum()))
            for j in range(k):
                count = int(self.counts[i, j])
                share = count / row_total
                base = QColor("#2e7d32") if i == j else QColor("#c62828")
                colour = QColor(base)
                colour.setAlphaF(0.12 + 0.75 * share if count else 0.04)
                cell = QRectF(label_w + j * cell_w, top, cell_w - 2, cell_h - 2)
                painter.fillRect(cell, colour)
                painter.setPen(QColor("white") if share > 0.5 else TEXT)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(count))
