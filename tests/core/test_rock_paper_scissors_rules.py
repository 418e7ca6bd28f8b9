"""Rock, paper, scissors: the rules, the score, reading the hand at "shoot", the record."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import pytest

from classroom_app.core import i18n
from classroom_app.core.hands.live import LiveHands
from classroom_app.core.hands.rock_paper_scissors import (
    DRAW,
    DRAWS_EXTENSION,
    LOSE,
    LOSSES_EXTENSION,
    MOVES,
    PAPER,
    ROCK,
    SCISSORS,
    WIN,
    WINS_EXTENSION,
    Game,
    Reading,
    ShotReader,
    main_gesture,
    move_name,
    move_of,
    outcome,
)
from classroom_app.core.hands.tracker import HandTracker


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def test_who_beats_whom() -> None:
    assert outcome(ROCK, SCISSORS) == WIN
    assert outcome(SCISSORS, PAPER) == WIN
    assert outcome(PAPER, ROCK) == WIN
    assert outcome(SCISSORS, ROCK) == LOSE
    assert outcome(PAPER, SCISSORS) == LOSE
    assert outcome(ROCK, PAPER) == LOSE
    assert all(outcome(move, move) == DRAW for move in MOVES)
    with pytest.raises(ValueError):
        outcome("lizard", ROCK)


def test_gestures_that_are_moves() -> None:
    assert move_of("Closed_Fist") == ROCK
    assert move_of("Open_Palm") == PAPER
    assert move_of("Victory") == SCISSORS
    assert move_of("Thumb_Up") is None and move_of("None") is None and move_of(None) is None
    assert [move_name(m) for m in MOVES] == ["Rock", "Paper", "Scissors"]
    i18n.set_language("zh_CN")
    assert move_name(ROCK) == i18n.tr("Rock")


def test_the_move_is_what_most_of_the_last_frames_show() -> None:
    reader = ShotReader(frames=3, stale=1.0)
    for when, gesture in ((0.0, "Open_Palm"), (0.9, "Open_Palm"), (1.0, "Victory"),
                          (1.1, "Victory"), (1.2, "Open_Palm")):
        reader.observe(when, gesture)
    # The last three since 0.95: Victory, Victory, Open_Palm.
    assert reader.read(1.25, since=0.95) == Reading("Victory", SCISSORS)
    # A tie goes to the newest frame.
    assert reader.read(1.25, since=1.05) == Reading("Open_Palm", PAPER)
    # Frames after "now" are not looked at.
    assert reader.read(0.95, since=0.5).move == PAPER


def test_no_hand_or_another_gesture_does_not_count() -> None:
    reader = ShotReader()
    assert reader.read(5.0, since=4.0) == Reading(None, None)  # nothing seen at all
    for when in (4.1, 4.2, 4.3):
        reader.observe(when, None)
    assert not reader.read(4.35, since=4.0).counts
    reader.observe(4.4, "Thumb_Up")
    reader.observe(4.5, "Thumb_Up")
    reading = reader.read(4.55, since=4.0)
    assert reading == Reading("Thumb_Up", None) and not reading.counts
    reader.clear()
    assert reader.read(4.55, since=4.0) == Reading(None, None)


def test_a_slow_computer_reads_the_newest_frame_if_it_is_fresh() -> None:
    reader = ShotReader(stale=1.0)
    reader.observe(10.0, "Closed_Fist")
    assert reader.read(10.6, since=10.3).move == ROCK  # no frame since "shoot": newest
    assert reader.read(11.5, since=10.3) == Reading(None, None)  # too old to count


def test_a_seeded_game_keeps_the_score_and_ends() -> None:
    game = Game(rounds=3, seed=7)
    expected = random.Random(7)
    outcomes = []
    for player in (ROCK, PAPER, SCISSORS):
        played = game.play(player)
        assert played.computer == expected.choice(MOVES)
        assert played.outcome == outcome(player, played.computer)
        outcomes.append(played.outcome)
    assert game.over and game.counted == 3
    assert (game.wins, game.losses, game.draws) == (
        outcomes.count(WIN), outcomes.count(LOSE), outcomes.count(DRAW))
    with pytest.raises(ValueError):
        game.play(ROCK)
    game.restart()
    assert not game.over and game.counted == 0 and game.wins == 0


def test_the_final_result_and_the_xapi_result() -> None:
    game = Game(rounds=4, seed=1)
    # Beat, lose to and draw with the computer on purpose, to know the score.
    beats = {SCISSORS: ROCK, PAPER: SCISSORS, ROCK: PAPER}  # the move that beats each move
    for plan in (WIN, WIN, LOSE, DRAW):
        computer = random.Random()
        computer.setstate(game.random.getstate())
        coming = computer.choice(MOVES)
        player = {WIN: beats[coming], DRAW: coming,
                  LOSE: next(m for m in MOVES if beats[m] == coming)}[plan]
        assert game.play(player).outcome == plan
    assert game.final() == WIN
    result = game.xapi_result()
    assert result["completion"] is True
    assert result["score"] == {"raw": 2, "min": 0, "max": 4, "scaled": 0.5}
    assert result["extensions"] == {WINS_EXTENSION: 2, LOSSES_EXTENSION: 1,
                                    DRAWS_EXTENSION: 1}
    assert WINS_EXTENSION == "urn:ai-classroom:extension:wins"
    assert Game(rounds=2).final() == DRAW


def test_the_victory_photo_is_scissors_through_the_real_pipeline(shared_testdata: Path) -> None:
    photo = cv2.imread(str(shared_testdata / "hands" / "victory_mps_hand_victory.jpg"))
    frame = cv2.resize(photo, (480, 640))
    live = LiveHands(HandTracker.open(variant="lite", max_hands=1, video=True), mirror=False)
    reader = ShotReader()
    for i in range(6):
        reader.observe(float(i), main_gesture(live(frame).hands))
    assert reader.read(5.0, since=3.0) == Reading("Victory", SCISSORS)
    empty = cv2.resize(cv2.imread(str(shared_testdata / "objects" / "mps_cup.png")), (640, 480))
    assert [main_gesture(live(empty).hands) for _ in range(4)][-1] is None
