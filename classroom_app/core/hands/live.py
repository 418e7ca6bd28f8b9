"""One frame through the whole hand pipeline, as a demo's worker thread runs it.

:class:`LiveHands` mirrors a camera frame into a selfie view (so that a pupil's left
hand is on the left and is called left), tracks the hands, reads steady gestures, asks
a student's classifier if there is one, and draws the skeletons, all off the GUI
thread: the GUI only shows the finished picture.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from classroom_app.core.hands.features import landmark_features
from classroom_app.core.hands.gesture_model import GestureClassifier, GesturePrediction
from classroom_app.core.hands.gestures import Gesture, GestureSmoother, classify
from classroom_app.core.hands.landmarks import CONNECTIONS, Hand
from classroom_app.core.hands.tracker import HandTracker

LEFT_COLOUR = (235, 140, 40)  # BGR: blue-ish for the left hand
RIGHT_COLOUR = (60, 200, 250)  # BGR: amber for the right hand


@dataclass(frozen=True)
class SeenHand:
    hand: Hand
    gesture: Gesture
    features: np.ndarray
    prediction: GesturePrediction | None = None


@dataclass(frozen=True)
class HandsFrame:
    hands: tuple[SeenHand, ...]
    picture: np.ndarray  # the frame as shown (mirrored for a camera), skeletons drawn
    seconds: float  # time spent on the hands, drawing included


class LiveHands:
    def __init__(self, tracker: HandTracker, mirror: bool = True,
                 classifier: GestureClassifier | None = None) -> None:
        self.tracker = tracker
        self.mirror = mirror
        self.classifier = classifier
        self.smoother = GestureSmoother()
        self.draw = True

    def set_mirror(self, mirror: bool) -> None:
        self.mirror = mirror
        self.tracker.mirrored = mirror
        self.tracker.reset()

    def __call__(self, frame: np.ndarray) -> HandsFrame:
        started = time.perf_counter()
        picture = cv2.flip(frame, 1) if self.mirror else frame.copy()
        self.tracker.mirrored = self.mirror
        hands = self.tracker.process(picture)
        classifier = self.classifier  # read once: the GUI may swap it
        seen = []
        for hand in hands:
            gesture = self.smoother.update(hand.track_id, classify(hand))
            features = landmark_features(hand)
            prediction = classifier.predict(features) if classifier else None
            seen.append(SeenHand(hand, gesture, features, prediction))
        self.smoother.forget_others({h.track_id for h in hands})
        if self.draw:
            draw_hands(picture, hands)
        return HandsFrame(tuple(seen), picture, time.perf_counter() - started)


def draw_hands(picture: np.ndarray, hands: list[Hand]) -> np.ndarray:
    """Draw each hand's skeleton onto ``picture`` (in place) and return it."""
    scale = max(picture.shape[:2]) / 640
    thickness = max(2, round(3 * scale))
    radius = max(3, round(4 * scale))
    for hand in hands:
        colour = LEFT_COLOUR if hand.is_left else RIGHT_COLOUR
        points = [(int(x), int(y)) for x, y in np.round(hand.landmarks[:, :2])]
        for a, b in CONNECTIONS:
            cv2.line(picture, points[a], points[b], (255, 255, 255), thickness + 2, cv2.LINE_AA)
            cv2.line(picture, points[a], points[b], colour, thickness, cv2.LINE_AA)
        for point in points:
            cv2.circle(picture, point, radius, (40, 40, 220), -1, cv2.LINE_AA)
    return picture
