"""Rock, paper, scissors against the computer, played with a real hand at the camera.

The hand pipeline (palm detection, 21 landmarks, steady gestures) runs on the worker
thread and draws the skeleton; the GUI calls out the chant ("Rock… Paper… Scissors…
Shoot!", in Chinese 石头…剪刀…布！), reads the player's steady gesture when it ends,
lets the computer pick at random (it never looks at the hand) and keeps the score. A
fist is rock, an open palm is paper and the victory sign is scissors. A finished game
is recorded as an experiment statement.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QRadialGradient,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.hands.gestures import gesture_name
from classroom_app.core.hands.live import HandsFrame
from classroom_app.core.hands.rock_paper_scissors import (
    DRAW,
    LOSE,
    PAPER,
    ROCK,
    SCISSORS,
    WIN,
    Game,
    Reading,
    Round,
    ShotReader,
    main_gesture,
    move_name,
    move_of,
)
from classroom_app.core.i18n import tr
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.core.vision.stream import FrameResult
from classroom_app.ui import theme
from classroom_app.ui.demos.hand_view import HandDemoView
from classroom_app.ui.demos.session import DemoSession

CARD_STYLE = "QFrame#card {{ background: white; border: {width}px solid {colour}; " \
             "border-radius: 12px; }}"


def chant() -> tuple[str, ...]:
    """The words the players say together, one a beat; the hands come out on the last.
    Languages say it in different numbers of beats ("Rock, paper, scissors, shoot!" has
    four, 石头、剪刀、布！ three), so the chant is one translated line with '|' between
    the beats."""
    beats = tr("Rock…|Paper…|Scissors…|Shoot!").split("|")
    return tuple(beat.strip() for beat in beats if beat.strip())


class MoveIcon(QWidget):
    """A drawn rock, sheet of paper or pair of scissors (no emoji font needed), or "?"."""

    def __init__(self, side: int = 150, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.move: str | None = None
        self.setMinimumSize(side * 3 // 5, side * 3 // 5)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_move(self, move: str | None) -> None:
        self.move = move
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.side, self.side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        painter.translate(self.width() / 2, self.height() / 2)
        painter.scale(side / 100, side / 100)  # draw in a box from -50 to 50
        {ROCK: self._rock, PAPER: self._paper, SCISSORS: self._scissors}.get(
            self.move or "", self._unknown)(painter)
        painter.end()

    @staticmethod
    def _rock(painter: QPainter) -> None:
        radii = (40, 37, 43, 38, 44, 40, 35, 42, 38, 41)
        points = [QPointF(r * math.cos(2 * math.pi * i / len(radii)),
                          6 + 0.8 * r * math.sin(2 * math.pi * i / len(radii)))
                  for i, r in enumerate(radii)]
        gradient = QRadialGradient(QPointF(-14, -10), 60)
        gradient.setColorAt(0, QColor("#d6d3cf"))
        gradient.setColorAt(1, QColor("#6b6762"))
        painter.setPen(QPen(QColor("#3b3834"), 2.5))
        painter.setBrush(QBrush(gradient))
        painter.drawPolygon(QPolygonF(points))
        painter.setPen(QPen(QColor("#55514c"), 1.8))
        painter.drawPolyline(QPolygonF([QPointF(8, -14), QPointF(14, -4), QPointF(24, 0)]))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#4e4a45"))
        for x, y in ((-18, 14), (-6, 22), (12, 16), (-24, -2)):
            painter.drawEllipse(QPointF(x, y), 1.8, 1.8)

    @staticmethod
    def _paper(painter: QPainter) -> None:
        painter.rotate(-8)
        sheet = QPolygonF([QPointF(-30, -42), QPointF(14, -42), QPointF(30, -26),
                           QPointF(30, 42), QPointF(-30, 42)])
        painter.setPen(QPen(QColor("#4a4a4a"), 2))
        painter.setBrush(QColor("white"))
        painter.drawPolygon(sheet)
        painter.setBrush(QColor("#d9d9d9"))
        painter.drawPolygon(QPolygonF([QPointF(14, -42), QPointF(14, -26), QPointF(30, -26)]))
        painter.setPen(QPen(QColor("#8fb0d9"), 2))
        for y in (-14, -2, 10, 22, 34):
            painter.drawLine(QPointF(-22, y), QPointF(22, y))

    @staticmethod
    def _scissors(painter: QPainter) -> None:
        steel = QPen(QColor("#3f4650"), 1.8)
        painter.setPen(steel)
        painter.setBrush(QColor("#b8c2cc"))
        painter.drawPolygon(QPolygonF([QPointF(-13, 16), QPointF(-5, 20), QPointF(22, -46)]))
        painter.setBrush(QColor("#d5dde4"))
        painter.drawPolygon(QPolygonF([QPointF(13, 16), QPointF(5, 20), QPointF(-22, -46)]))
        painter.setPen(QPen(QColor("#d1342b"), 6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(-17, 31), 11, 12)
        painter.drawEllipse(QPointF(17, 31), 11, 12)
        painter.setPen(steel)
        painter.setBrush(QColor("#3f4650"))
        painter.drawEllipse(QPointF(0, -1), 3.5, 3.5)

    @staticmethod
    def _unknown(painter: QPainter) -> None:
        pen = QPen(QColor("#9a9a9a"), 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor("#f2f2f2"))
        painter.drawEllipse(QPointF(0, 0), 42, 42)
        font = QFont(theme.app_font())
        font.setPixelSize(56)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#8a8a8a"))
        painter.drawText(QRectF(-50, -50, 100, 100), Qt.AlignmentFlag.AlignCenter, "?")


class PlayerCard(QFrame):
    """One side of the table: who it is, the drawn move and its name."""

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        self.who = QLabel(who)
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setStyleSheet("font-size: 18pt; font-weight: bold; border: none;")
        self.icon = MoveIcon()
        self.name = QLabel()
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name.setStyleSheet("font-size: 22pt; font-weight: bold; border: none;")
        layout.addWidget(self.who)
        layout.addWidget(self.icon, 1, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.name)
        self.move: str | None = None
        self.show_move(None)

    def show_move(self, move: str | None, won: bool = False) -> None:
        self.move = move
        self.icon.set_move(move)
        self.name.setText(move_name(move) if move else " ")
        colour, width = (theme.OK_COLOUR, 5) if won else ("#c9c9c9", 2)
        self.setStyleSheet(CARD_STYLE.format(colour=colour, width=width))


class RockPaperScissorsView(HandDemoView):
    played = Signal(object)  # the counted Round, or None when the round did not count
    finished = Signal(object)  # the Game, once its last round is played

    def __init__(self, params: dict, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.countdown = max(0.3, float(params.get("countdown_seconds", 3)))
        seed = params.get("seed")
        self.game = Game(int(params.get("rounds", 5)), None if seed is None else int(seed))
        self.reader = ShotReader()
        self.counting = False
        self.beats = chant()
        self.beat = 0
        self.shoot_from = 0.0  # when the chant's last beat was shown: frames read start there
        self.last_reading: Reading | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(round(self.countdown / len(self.beats) * 1000))
        self.timer.timeout.connect(self._next_beat)
        self._build()
        self.error = self.open_hands()
        if self.error:
            self._set_call(tr("The game cannot start."), "feedback-wrong")
            self.message.setText(self.error)
            self.play_button.setEnabled(False)

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        body = QHBoxLayout(self)
        left = QVBoxLayout()
        body.addLayout(left, 3)
        left.addWidget(self.picture, 1)
        seen_row = QHBoxLayout()
        left.addLayout(seen_row)
        seen_row.addStretch()
        self.seen_icon = MoveIcon(56)
        self.seen_icon.setFixedSize(56, 56)
        seen_row.addWidget(self.seen_icon)
        self.seen = QLabel()
        self.seen.setStyleSheet("font-size: 20pt;")
        seen_row.addWidget(self.seen)
        seen_row.addStretch()
        self._show_seen(None)

        side = QVBoxLayout()
        body.addLayout(side, 2)
        self.call = QLabel()
        self.call.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.call.setWordWrap(True)
        self.call.setFixedHeight(84)
        side.addWidget(self.call)
        cards = QHBoxLayout()
        side.addLayout(cards, 1)
        self.player_card = PlayerCard(tr("You"))
        self.computer_card = PlayerCard(tr("Computer"))
        versus = QLabel(tr("vs"))
        versus.setStyleSheet("font-size: 22pt; font-weight: bold; color: #666;")
        cards.addWidget(self.player_card, 1)
        cards.addWidget(versus)
        cards.addWidget(self.computer_card, 1)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(70)  # two lines: the layout does not jump
        self.message.setStyleSheet("font-size: 18pt;")
        side.addWidget(self.message)
        self.score = QLabel()
        self.score.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.score.setStyleSheet("font-size: 22pt; font-weight: bold;")
        side.addWidget(self.score)
        self.round_label = QLabel()
        self.round_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.round_label.setStyleSheet("font-size: 16pt; color: #444;")
        side.addWidget(self.round_label)
        self.play_button = QPushButton(tr("Play"))
        self.play_button.setProperty("primary", True)
        self.play_button.setMinimumHeight(64)
        self.play_button.setStyleSheet("font-size: 24pt; font-weight: bold; padding: 2px 16px;")
        self.play_button.clicked.connect(self.play)
        side.addWidget(self.play_button)
        hint = QLabel(tr("Fist = rock, open hand = paper, two fingers = scissors. "
                         "The computer picks at random: it never looks at your hand!"))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setProperty("role", "subtitle")
        side.addWidget(hint)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WindowShortcut)
        space.activated.connect(self.play)
        self._ready()
        self._show_score()

    def _ready(self) -> None:
        self._set_call(tr("Ready?"))
        self.message.setText(tr("Press Play (or the Space key) to start!"))

    def _show_score(self) -> None:
        game = self.game
        self.score.setText(tr("You {wins} : {losses} Computer").format(
            wins=game.wins, losses=game.losses) + "   " + tr("Draws: {draws}").format(
            draws=game.draws))
        if game.over:
            self.round_label.setText(tr("Game over after {rounds} rounds.").format(
                rounds=game.rounds))
        else:
            self.round_label.setText(tr("Round {round} of {rounds}").format(
                round=game.counted + 1, rounds=game.rounds))

    def _show_seen(self, gesture: str | None) -> None:
        move = move_of(gesture)
        self.seen_icon.set_move(move)
        if gesture is None:
            self.seen.setText(tr("I see: no hand"))
        elif move is not None:
            self.seen.setText(tr("I see: {move}").format(move=move_name(move)))
        else:
            self.seen.setText(tr("I see: {gesture} (not rock, paper or scissors)").format(
                gesture=gesture_name(gesture)))

    def _set_call(self, text: str, role: str = "") -> None:
        """The big line: the countdown, then who won (green for the pupil, red if not)."""
        colour = {"feedback-right": theme.OK_COLOUR,
                  "feedback-wrong": theme.WRONG_COLOUR}.get(role, "#111")
        width = max(self.call.width(), 240) - 16
        font = QFont(self.call.font())
        font.setBold(True)
        size = 20  # as big as fits on one line, and wrapped if even 20pt does not
        for points in (36, 30, 24):
            font.setPointSize(points)
            if QFontMetrics(font).horizontalAdvance(text) <= width:
                size = points
                break
        self.call.setText(text)
        self.call.setStyleSheet(f"font-size: {size}pt; font-weight: bold; color: {colour};")

    # -- the game --------------------------------------------------------------------
    def play(self) -> None:
        """Start a round: count down, then read the hand (a new game after the last)."""
        if self.live is None or self.counting:
            return
        if self.game.over:
            self.game.restart()
            self._show_score()
        self.counting = True
        self.play_button.setEnabled(False)
        self.player_card.show_move(None)
        self.computer_card.show_move(None)
        self.message.setText(tr("Get your hand ready in front of the camera!") if self._camera()
                             else tr("Watch the hand in the picture!"))
        self.beat = 0
        self._set_call(self.beats[0])
        self.timer.start()

    def _next_beat(self) -> None:
        self.beat += 1
        if self.beat < len(self.beats):
            if self.beat == len(self.beats) - 1:
                self.shoot_from = time.monotonic()
            self._set_call(self.beats[self.beat])
            return
        self.timer.stop()
        self._shoot()

    def _shoot(self) -> None:
        self.counting = False
        self.play_button.setEnabled(True)
        reading = self.reader.read(time.monotonic(), since=self.shoot_from)
        self.last_reading = reading
        if reading.move is None:
            self._not_counted(reading)
            self.played.emit(None)
            return
        played = self.game.play(reading.move)
        self._show_round(played)
        self._show_score()
        self.played.emit(played)
        if self.game.over:
            self._game_over()

    def _not_counted(self, reading: Reading) -> None:
        self._set_call(tr("Oops, try again!"), "feedback-wrong")
        if reading.gesture is None and self._camera():
            text = tr("I did not see a hand. Hold your hand up in front of the camera. "
                      "This round does not count.")
        elif reading.gesture is None:
            text = tr("I did not see a hand in the picture. This round does not count.")
        else:
            text = tr("I saw {gesture}, which is not rock, paper or scissors. "
                      "This round does not count.").format(gesture=gesture_name(reading.gesture))
        self.message.setText(text)
        self.play_button.setText(tr("Play"))

    def _show_round(self, played: Round) -> None:
        self.player_card.show_move(played.player, won=played.outcome == WIN)
        self.computer_card.show_move(played.computer, won=played.outcome == LOSE)
        if played.outcome == WIN:
            self._set_call(tr("You win!"), "feedback-right")
            why = tr("{winner} beats {loser}.").format(winner=move_name(played.player),
                                                       loser=move_name(played.computer))
        elif played.outcome == DRAW:
            self._set_call(tr("It's a draw!"))
            why = tr("You both chose {move}.").format(move=move_name(played.player))
        else:
            self._set_call(tr("The computer wins!"), "feedback-wrong")
            why = tr("{winner} beats {loser}.").format(winner=move_name(played.computer),
                                                       loser=move_name(played.player))
        self.message.setText(why)
        self.play_button.setText(tr("Next round"))

    def _game_over(self) -> None:
        final = self.game.final()
        self._set_call({WIN: tr("You won the game!"), DRAW: tr("The game is a draw!")}.get(
            final, tr("The computer won the game!")),
            "feedback-right" if final == WIN else "" if final == DRAW else "feedback-wrong")
        self.message.setText(self.message.text() + "\n" + tr(
            "Final score: you {wins}, computer {losses}, draws {draws}.").format(
            wins=self.game.wins, losses=self.game.losses, draws=self.game.draws))
        self.play_button.setText(tr("Play again"))
        self._record()
        self.finished.emit(self.game)

    def _record(self) -> None:
        self.session.record_experiment(self.game.xapi_result())

    # -- frames ----------------------------------------------------------------------
    def _camera(self) -> bool:
        """Whether the pupil plays at a camera (not a video or photos): what to tell them."""
        return self.spec is None or self.spec.kind == "camera"

    def before_start(self, spec: SourceSpec) -> None:
        """The gesture is read afresh from the new source (a countdown under way goes on)."""
        super().before_start(spec)
        self.reader.clear()

    def show_result(self, result: FrameResult) -> None:
        found: HandsFrame | None = result.result
        if found is None:
            return
        self.picture.show_frame(found.picture)
        gesture = main_gesture(found.hands)
        self.reader.observe(time.monotonic(), gesture)
        self._show_seen(gesture)

    def stop(self) -> None:
        super().stop()
        if self.counting:
            self.timer.stop()
            self.counting = False
            self.play_button.setEnabled(self.live is not None)
            self._ready()
