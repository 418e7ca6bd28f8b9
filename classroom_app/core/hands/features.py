"""The 127 landmark features a student's gesture classifier learns from (as MediaPipe's
gesture recognizer): the 21 image landmarks relative to the wrist and divided by the
longest side of their box (63), the handedness score (1), and the 21 world landmarks
treated the same way (63). They do not depend on where the hand is or how big it looks,
but they do on its turn, which is how thumb up and thumb down differ. A left hand is
mirrored into a right one (its handedness stays a feature), so that a gesture taught
with one hand is recognised on the other: with a few examples per gesture, as a class
collects them, that matters more than the few gestures that differ by hand.
"""

from __future__ import annotations

import numpy as np

from classroom_app.core.hands.landmarks import Hand

COUNT = 127


def _normalised(points: np.ndarray) -> np.ndarray:
    relative = points - points[0]
    span = float((points[:, :2].max(axis=0) - points[:, :2].min(axis=0)).max())
    return (relative / span if span > 0 else relative).reshape(-1)


def landmark_features(hand: Hand) -> np.ndarray:
    image, world = hand.landmarks.copy(), hand.world.copy()
    if hand.is_left:
        image[:, 0] *= -1
        world[:, 0] *= -1
    return np.concatenate([_normalised(image), [hand.left],
                           _normalised(world)]).astype(np.float32)


def gesturing_hand(hands: list[Hand]) -> Hand | None:
    """The hand that shows the gesture when there are several: the one held highest."""
    return min(hands, key=lambda h: float(h.landmarks[:, 1].min()), default=None)
