"""Rock, paper, scissors against the computer: the rules, the score, and reading the
player's hand at the moment of "shoot".

No Qt here. The view tells :class:`ShotReader` which gesture it sees in each frame and
asks it for the player's move when the countdown ends; :class:`Game` draws the
computer's move at random (it never looks at the hand) and keeps the score. A closed
fist is rock, an open palm is paper and the victory sign is scissors.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from classroom_app.core import xapi
from classroom_app.core.hands.live import SeenHand
from classroom_app.core.i18n import tr

ROCK, PAPER, SCISSORS = "rock", "paper", "scissors"
MOVES = (ROCK, PAPER, SCISSORS)
GESTURE_MOVES = {"Closed_Fist": ROCK, "Open_Palm": PAPER, "Victory": SCISSORS}
BEATS = {ROCK: SCISSORS, SCISSORS: PAPER, PAPER: ROCK}  # each move beats the one it names
WIN, LOSE, DRAW = "win", "lose", "draw"  # always from the player's side

WINS_EXTENSION = f"{xapi.ID_PREFIX}:extension:wins"
LOSSES_EXTENSION = f"{xapi.ID_PREFIX}:extension:losses"
DRAWS_EXTENSION = f"{xapi.ID_PREFIX}:extension:draws"


def move_name(move: str) -> str:
    """The move's name in the UI's language."""
    names = {ROCK: tr("Rock"), PAPER: tr("Paper"), SCISSORS: tr("Scissors")}
    return names.get(move, move)


def move_of(gesture: str | None) -> str | None:
    """The move a canned gesture stands for, or None (no hand, or another gesture)."""
    return GESTURE_MOVES.get(gesture or "")


def outcome(player: str, computer: str) -> str:
    """WIN, LOSE or DRAW for the player."""
    if player not in BEATS or computer not in BEATS:
        raise ValueError(f"not a move: {player!r} against {computer!r}")
    if player == computer:
        return DRAW
    return WIN if BEATS[player] == computer else LOSE


def main_gesture(hands: Sequence[SeenHand]) -> str | None:
    """The steady gesture of the biggest hand in a frame, or None when there is no hand."""
    if not hands:
        return None
    return max(hands, key=lambda seen: seen.hand.size()).gesture.name


@dataclass(frozen=True)
class Reading:
    """What the player showed when the countdown ended."""

    gesture: str | None  # the canned gesture seen, None if no hand was seen
    move: str | None  # the move it stands for, None if it is not one of the three

    @property
    def counts(self) -> bool:
        return self.move is not None


class ShotReader:
    """Remembers the last frames' gestures so the player's move can be read at "shoot".

    ``read`` takes the gesture most of the last ``frames`` frames since ``since`` agree
    on (the newest wins a tie). With no frame in that time (a slow computer), the
    newest frame counts if it is at most ``stale`` seconds old.
    """

    def __init__(self, frames: int = 3, stale: float = 1.0) -> None:
        self.frames = frames
        self.stale = stale
        self.seen: deque[tuple[float, str | None]] = deque(maxlen=120)

    def observe(self, when: float, gesture: str | None) -> None:
        self.seen.append((when, gesture))

    def clear(self) -> None:
        self.seen.clear()

    def read(self, now: float, since: float | None = None) -> Reading:
        start = now - self.stale if since is None else since
        recent = [g for t, g in self.seen if start <= t <= now][-self.frames:]
        if not recent and self.seen and now - self.stale <= self.seen[-1][0] <= now:
            recent = [self.seen[-1][1]]
        if not recent:
            return Reading(None, None)
        votes = Counter(recent)
        best = max(votes.values())
        gesture = next(g for g in reversed(recent) if votes[g] == best)
        return Reading(gesture, move_of(gesture))


@dataclass(frozen=True)
class Round:
    player: str
    computer: str
    outcome: str  # WIN, LOSE or DRAW for the player


class Game:
    """A game of ``rounds`` counted rounds; ``seed`` makes the computer's moves repeatable."""

    def __init__(self, rounds: int = 5, seed: int | None = None) -> None:
        self.rounds = max(1, int(rounds))
        self.random = random.Random(seed)
        self.played: list[Round] = []

    @property
    def wins(self) -> int:
        return sum(1 for r in self.played if r.outcome == WIN)

    @property
    def losses(self) -> int:
        return sum(1 for r in self.played if r.outcome == LOSE)

    @property
    def draws(self) -> int:
        return sum(1 for r in self.played if r.outcome == DRAW)

    @property
    def counted(self) -> int:
        return len(self.played)

    @property
    def over(self) -> bool:
        return self.counted >= self.rounds

    def computer_move(self) -> str:
        return self.random.choice(MOVES)

    def play(self, player: str) -> Round:
        """One counted round: the computer picks at random, then the winner is decided."""
        if self.over:
            raise ValueError("the game is over")
        if player not in BEATS:
            raise ValueError(f"not a move: {player!r}")
        computer = self.computer_move()
        played = Round(player, computer, outcome(player, computer))
        self.played.append(played)
        return played

    def restart(self) -> None:
        """A new game; the computer's random moves carry on where they were."""
        self.played.clear()

    def final(self) -> str:
        """Who won the game, from the player's side."""
        if self.wins == self.losses:
            return DRAW
        return WIN if self.wins > self.losses else LOSE

    def xapi_result(self) -> dict[str, Any]:
        """The game's result for an xAPI statement: wins over counted rounds."""
        counted = self.counted
        return {"completion": True,
                "score": {"raw": self.wins, "min": 0, "max": counted,
                          "scaled": round(self.wins / counted, 4) if counted else 0},
                "extensions": {WINS_EXTENSION: self.wins, LOSSES_EXTENSION: self.losses,
                               DRAWS_EXTENSION: self.draws}}
