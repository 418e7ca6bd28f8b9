"""Hand landmarks: 21 points, hand presence and handedness for one hand region."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from classroom_app.core.hands.regions import HandRegion

SIZE = 224
PRESENCE_THRESHOLD = 0.5

# The bones between landmarks, in MediaPipe's numbering: 0 is the wrist, then four
# points a finger from the thumb (1 to 4) to the little finger (17 to 20).
CONNECTIONS = ((0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9),
               (9, 10), (10, 11), (11, 12), (9, 13), (13, 14), (14, 15), (15, 16), (13, 17),
               (17, 18), (18, 19), (19, 20), (0, 17))


@dataclass(frozen=True)
class Hand:
    landmarks: np.ndarray  # [21, 3] x, y in frame pixels, z (relative depth) in pixels
    world: np.ndarray  # [21, 3] metres, origin near the hand's centre
    presence: float
    left: float  # P(the person's left hand), for the frame as given
    region: HandRegion
    track_id: int = 0

    @property
    def is_left(self) -> bool:
        return self.left >= 0.5

    @property
    def handedness_score(self) -> float:
        return self.left if self.is_left else 1 - self.left

    def size(self) -> float:
        """The longest side of the box around the landmarks, in pixels."""
        span = self.landmarks[:, :2].max(axis=0) - self.landmarks[:, :2].min(axis=0)
        return float(span.max())


class LandmarkModel:
    def __init__(self, session: ort.InferenceSession) -> None:
        self.session = session
        self.input_name = session.get_inputs()[0].name

    def run(self, rgb: np.ndarray, region: HandRegion, mirrored: bool) -> Hand:
        """The hand in ``region`` of an RGB uint8 frame.

        ``mirrored`` says the frame is a selfie view (flipped left to right); the model's
        handedness is for such frames, and is swapped for a frame as a camera sees it.
        """
        crop = region.crop(rgb, SIZE).astype(np.float32) * np.float32(1 / 255)
        points, presence, left, world = self.session.run(
            ["Identity", "Identity_1", "Identity_2", "Identity_3"],
            {self.input_name: crop[None]})
        image_points = region.to_image(points.reshape(21, 3), SIZE)
        p_left = float(left.reshape(-1)[0])
        return Hand(image_points, world.reshape(21, 3).astype(np.float64),
                    float(presence.reshape(-1)[0]), p_left if mirrored else 1 - p_left,
                    region)
