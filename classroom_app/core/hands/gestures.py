"""The canned gestures, read from the 21 landmarks by rules a pupil can follow.

A finger is out when its tip is clearly farther from the wrist than its middle joint;
the thumb is out when its tip is far from the ring finger's base (measured in palm
lengths); thumb up and down, and pointing up, come from the direction in the picture.
Each test gives a probability rather than a yes or no, so a gesture's confidence is the
product of its tests, and :class:`GestureSmoother` keeps the answer steady over frames.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass

import numpy as np

from classroom_app.core.hands.landmarks import Hand
from classroom_app.core.i18n import tr

NONE = "None"
CANNED = ("None", "Closed_Fist", "Open_Palm", "Pointing_Up", "Thumb_Down", "Thumb_Up",
          "Victory", "ILoveYou")

FINGER_OUT = 1.1  # tip-to-wrist over middle-joint-to-wrist
THUMB_OUT = 0.75  # thumb tip to ring-finger base, in palm lengths
UPRIGHT = math.sin(math.radians(45))  # "up" is within 45 degrees of straight up


def gesture_name(gesture: str) -> str:
    """The gesture's name in the UI's language."""
    names = {
        "None": tr("No gesture"),
        "Closed_Fist": tr("Closed fist"),
        "Open_Palm": tr("Open palm"),
        "Pointing_Up": tr("Pointing up"),
        "Thumb_Down": tr("Thumb down"),
        "Thumb_Up": tr("Thumb up"),
        "Victory": tr("Victory"),
        "ILoveYou": tr("I love you"),
    }
    return names.get(gesture, gesture)


@dataclass(frozen=True)
class Gesture:
    name: str  # one of CANNED
    confidence: float


@dataclass(frozen=True)
class FingerStates:
    """Probability that each finger is out, and of the thumb and index pointing up/down."""

    thumb: float
    index: float
    middle: float
    ring: float
    pinky: float
    thumb_up: float
    thumb_down: float
    index_up: float


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, x))))


def _upness(start: np.ndarray, end: np.ndarray) -> float:
    """sin of the angle above the horizontal of start -> end (y grows downwards)."""
    v = end - start
    length = float(np.hypot(*v))
    return float(-v[1] / length) if length > 0 else 0.0


def finger_states(hand: Hand) -> FingerStates:
    points = hand.landmarks[:, :2]

    def dist(a: int, b: int) -> float:
        return float(np.hypot(*(points[a] - points[b])))

    def out(pip: int, tip: int) -> float:
        ratio = dist(tip, 0) / max(dist(pip, 0), 1e-6)
        return _sigmoid((ratio - FINGER_OUT) / 0.05)

    palm = max(dist(0, 9), 1e-6)
    thumb = _sigmoid((dist(4, 13) / palm - THUMB_OUT) / 0.05)
    thumb_dir = _upness(points[2], points[4])
    index_dir = _upness(points[5], points[8])
    return FingerStates(thumb, out(6, 8), out(10, 12), out(14, 16), out(18, 20),
                        _sigmoid((thumb_dir - UPRIGHT) / 0.08),
                        _sigmoid((-thumb_dir - UPRIGHT) / 0.08),
                        _sigmoid((index_dir - UPRIGHT) / 0.08))


def gesture_scores(hand: Hand) -> dict[str, float]:
    """Each canned gesture's probability for one hand (they need not sum to 1)."""
    f = finger_states(hand)
    folded4 = (1 - f.index) * (1 - f.middle) * (1 - f.ring) * (1 - f.pinky)
    scores = {
        "Closed_Fist": folded4 * (1 - f.thumb),
        "Open_Palm": f.index * f.middle * f.ring * f.pinky,
        "Pointing_Up": f.index * (1 - f.middle) * (1 - f.ring) * (1 - f.pinky) * f.index_up,
        "Thumb_Up": folded4 * f.thumb * f.thumb_up,
        "Thumb_Down": folded4 * f.thumb * f.thumb_down,
        "Victory": f.index * f.middle * (1 - f.ring) * (1 - f.pinky),
        "ILoveYou": f.thumb * f.index * (1 - f.middle) * (1 - f.ring) * f.pinky,
    }
    scores[NONE] = 1 - max(scores.values())
    return scores


def classify(hand: Hand) -> Gesture:
    scores = gesture_scores(hand)
    best = max(scores, key=scores.__getitem__)
    return Gesture(best, scores[best])


class GestureSmoother:
    """Steady gestures: per tracked hand, the gesture most of the last frames agree on.

    The shown gesture changes only when another one wins a majority of the window, so a
    single odd frame never flickers through.
    """

    def __init__(self, window: int = 5) -> None:
        self.window = window
        self.history: dict[int, deque[Gesture]] = {}
        self.shown: dict[int, Gesture] = {}

    def update(self, track_id: int, gesture: Gesture) -> Gesture:
        history = self.history.setdefault(track_id, deque(maxlen=self.window))
        history.append(gesture)
        votes = Counter(g.name for g in history)
        leader, count = votes.most_common(1)[0]
        current = self.shown.get(track_id)
        if current is None or (leader != current.name and count > len(history) / 2):
            name = leader
        else:
            name = current.name
        confidence = float(np.mean([g.confidence for g in history if g.name == name] or [0]))
        self.shown[track_id] = Gesture(name, confidence)
        return self.shown[track_id]

    def forget_others(self, track_ids: set[int]) -> None:
        """Drop hands that are no longer tracked."""
        for gone in set(self.history) - track_ids:
            self.history.pop(gone, None)
            self.shown.pop(gone, None)
