"""Rock, paper, scissors against the computer, played by a video of a hand, offscreen.

The real hand models and pipeline run on a short MJPG video made from a photo, as a
webcam pointed at it would give; the computer's moves are seeded, so every round's
result is known.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt

from classroom_app.core import paths
from classroom_app.core.hands.rock_paper_scissors import (
    DRAW,
    LOSE,
    MOVES,
    SCISSORS,
    WIN,
    outcome,
)
from classroom_app.core.i18n import tr, using
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.demos.rock_paper_scissors.view import RockPaperScissorsView, chant
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.demos.window import DemoWindow

SEED = 11
WAIT = 30000  # ms: two slow cores run the hand models


def make_video(path: Path, picture: Path, size: tuple[int, int], frames: int = 30) -> Path:
    """An MJPG video of a photo, panned slowly, as a webcam pointed at it would give."""
    image = cv2.resize(cv2.imread(str(picture)), size)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, size)
    for i in range(frames):
        shift = np.float32([[1, 0, (i % 10) - 5], [0, 1, 0]])
        writer.write(cv2.warpAffine(image, shift, size, borderMode=cv2.BORDER_REFLECT))
    writer.release()
    return path


@pytest.fixture
def victory(shared_testdata: Path, tmp_path: Path) -> SourceSpec:
    photo = shared_testdata / "hands" / "victory_mps_hand_victory.jpg"
    return SourceSpec("video", str(make_video(tmp_path / "victory.avi", photo, (480, 640))))


@pytest.fixture
def no_hand(shared_testdata: Path, tmp_path: Path) -> SourceSpec:
    photo = shared_testdata / "objects" / "mps_cup.png"
    return SourceSpec("video", str(make_video(tmp_path / "cup.avi", photo, (640, 480))))


def score_text(wins: int, losses: int, draws: int) -> str:
    return (tr("You {wins} : {losses} Computer").format(wins=wins, losses=losses) + "   "
            + tr("Draws: {draws}").format(draws=draws))


def test_scissors_against_the_seeded_computer_scores_and_records(qtbot, ctx, victory) -> None:
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260401", "王小明")])
    learner = ctx.store.learners(info.id)[0]
    window = DemoWindow(ctx.demos.get("rock_paper_scissors"),
                        {"countdown_seconds": 0.6, "seed": SEED, "rounds": 2},
                        DemoSession(ctx.progress, info, learner))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    view = window.view
    assert isinstance(view, RockPaperScissorsView)
    window.start(victory)
    # The live picture shows the hand, and the gesture seen is written under it.
    scissors_seen = tr("I see: {move}").format(move=tr("Scissors"))
    qtbot.waitUntil(lambda: view.seen.text() == scissors_seen, timeout=WAIT)
    assert view.picture.pixmap() is not None and not view.picture.pixmap().isNull()
    assert view.score.text() == score_text(0, 0, 0)
    assert view.round_label.text() == tr("Round {round} of {rounds}").format(round=1, rounds=2)

    computer = random.Random(SEED)
    tally = {WIN: 0, LOSE: 0, DRAW: 0}
    for number in (1, 2):
        with qtbot.waitSignal(view.played, timeout=WAIT) as played:
            if number == 1:
                view.play_button.click()
                assert view.call.text() == chant()[0]  # the countdown has begun
                view.play()  # a second press during the countdown changes nothing
            else:
                qtbot.keyClick(view, Qt.Key.Key_Space)  # the Space key plays too
                assert view.counting
        result = played.args[0]
        assert result is not None and result.player == SCISSORS
        assert result.computer == computer.choice(MOVES)
        assert result.outcome == outcome(SCISSORS, result.computer)
        tally[result.outcome] += 1
        assert view.player_card.move == SCISSORS and view.computer_card.move == result.computer
        assert view.call.text() in {tr("You win!"), tr("It's a draw!"), tr("The computer wins!"),
                                    tr("You won the game!"), tr("The game is a draw!"),
                                    tr("The computer won the game!")}
        assert view.score.text() == score_text(tally[WIN], tally[LOSE], tally[DRAW])

    # Two counted rounds: the game is over, with its final result and "Play again".
    assert view.game.over
    assert view.play_button.text() == tr("Play again") and view.play_button.isEnabled()
    assert view.round_label.text() == tr("Game over after {rounds} rounds.").format(rounds=2)
    final = {WIN: tr("You won the game!"), DRAW: tr("The game is a draw!"),
             LOSE: tr("The computer won the game!")}
    assert view.call.text() == final[view.game.final()]
    statements = [json.loads(s["statement"]) for s in ctx.store.statements()]
    experiment = [s for s in statements if s["object"]["id"].endswith(":rock_paper_scissors")]
    assert len(experiment) == 1
    recorded = experiment[0]["result"]
    assert recorded["score"]["scaled"] == round(tally[WIN] / 2, 4)
    assert recorded["extensions"] == {"urn:ai-classroom:extension:wins": tally[WIN],
                                      "urn:ai-classroom:extension:losses": tally[LOSE],
                                      "urn:ai-classroom:extension:draws": tally[DRAW]}
    assert experiment[0]["actor"]["account"]["name"] == "20260401"

    # Play again: a new game starts at once, from 0 : 0.
    view.play_button.click()
    assert view.counting and view.game.counted == 0
    assert view.score.text() == score_text(0, 0, 0)
    window.close()
    assert view.worker is None and not view.counting


def test_no_hand_seen_does_not_count(qtbot, no_hand) -> None:
    view = RockPaperScissorsView({"countdown_seconds": 0.6, "seed": SEED})
    qtbot.addWidget(view)
    view.show()
    view.start(no_hand)
    qtbot.waitUntil(lambda: view.picture.pixmap() is not None
                    and not view.picture.pixmap().isNull(), timeout=WAIT)
    assert view.seen.text() == tr("I see: no hand")
    with qtbot.waitSignal(view.played, timeout=WAIT) as played:
        view.play_button.click()
    assert played.args[0] is None
    assert view.last_reading is not None and view.last_reading.gesture is None
    # A video is playing, not a camera: the pupil is not told to hold up a hand.
    assert view.message.text() == tr("I did not see a hand in the picture. This round does "
                                     "not count.")
    assert view.game.counted == 0 and view.score.text() == score_text(0, 0, 0)
    assert view.round_label.text() == tr("Round {round} of {rounds}").format(round=1, rounds=5)
    assert view.player_card.move is None and view.computer_card.move is None
    assert view.play_button.isEnabled()
    view.stop()
    assert view.worker is None


def test_a_camera_that_is_not_there_is_reported(qtbot) -> None:
    view = RockPaperScissorsView({})
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=WAIT) as failed:
        view.start(SourceSpec("camera", "97"))
    assert view.picture.text() == failed.args[0]
    view.stop()


def test_missing_hand_models_are_shown_not_raised(qtbot, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(paths, "models_dir", lambda: tmp_path / "no-models")
    view = RockPaperScissorsView({})
    qtbot.addWidget(view)
    assert view.live is None and view.error
    assert view.picture.text() == view.error and not view.play_button.isEnabled()
    view.start(SourceSpec("camera", "0"))  # nothing to run the frames through: no crash
    view.play()
    assert view.worker is None and not view.counting


def test_the_chant_is_said_as_each_language_says_it() -> None:
    """English players say "Rock, paper, scissors, shoot!" and show on "shoot"; Chinese
    players say 石头、剪刀、布！ and show on 布: the hands come out on the last beat."""
    with using("en"):
        assert chant() == ("Rock…", "Paper…", "Scissors…", "Shoot!")
    with using("zh_CN"):
        assert chant() == ("石头…", "剪刀…", "布！")
