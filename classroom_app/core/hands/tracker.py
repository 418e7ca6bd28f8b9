"""Finding and following hands from frame to frame.

In video mode, a tracked hand's next region comes from its landmarks, so the palm
detector (the slow model) runs only while fewer hands than ``max_hands`` are tracked,
and then only every few frames once one hand is followed. In static mode (photos),
every frame is searched from scratch. A hand that fills the frame is too big for the
palm detector, so when nothing is found the frame is searched again with a border
around it, as a person would step back from the camera. A hand whose palm is hidden
behind another hand (two hands crossing, two thumbs up one behind the other) scores
low beside the front one; in static mode the strips beside the hands found are searched
on their own. A hand so close that even the padded frame shows no palm is found by
asking the landmark model about the whole frame.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from classroom_app.core.hands.landmarks import PRESENCE_THRESHOLD, Hand, LandmarkModel
from classroom_app.core.hands.models import open_model
from classroom_app.core.hands.palms import Palm, PalmDetector
from classroom_app.core.hands.regions import HandRegion

PAD_FRACTION = 0.5  # border added on each side when a hand may fill the frame
DETECT_EVERY = 6  # frames between palm searches while some hands are tracked
SAME_HAND_IOU = 0.5
PART_OF_HAND = 0.92  # a "hand" lying almost wholly inside another is a part of it
WHOLE_FRAME_PRESENCE = 0.9  # a hand filling the frame, found without a palm: be sure


@dataclass
class _Track:
    id: int
    region: HandRegion


@dataclass
class HandTracker:
    palms: PalmDetector
    landmarks: LandmarkModel
    max_hands: int = 2
    video: bool = True
    mirrored: bool = False
    tracks: list[_Track] = field(default_factory=list)
    palm_runs: int = 0
    _since_search: int = 0
    _pad_next: bool = False
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def open(cls, variant: str = "lite", max_hands: int = 2, video: bool = True,
             mirrored: bool = False, threads: int = 2, root: Path | None = None
             ) -> HandTracker:
        """A tracker on the shipped models; a ModelError if they cannot be used."""
        return cls(PalmDetector(open_model("palm_detection", variant, threads, root)),
                   LandmarkModel(open_model("hand_landmark", variant, threads, root)),
                   max_hands, video, mirrored)

    def reset(self) -> None:
        self.tracks.clear()
        self._since_search = 0

    def process(self, frame: np.ndarray, rgb: bool = False) -> list[Hand]:
        """The hands in a BGR frame (RGB if ``rgb``), biggest first."""
        if frame is None or frame.ndim != 3 or frame.shape[0] < 16 or frame.shape[1] < 16:
            return []
        image = frame if rgb else cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        if not self.video:
            self.tracks.clear()
        hands = self._follow(image)
        self._since_search += 1
        if len(hands) < self.max_hands and (not hands or not self.video
                                            or self._since_search >= DETECT_EVERY):
            hands += self._search(image, hands)
            self._since_search = 0
        if not self.video and hands and len(hands) < self.max_hands:
            hands += self._search_beside(image, hands)
        hands = hands[:self.max_hands]
        self.tracks = [_Track(h.track_id, HandRegion.from_landmarks(h.landmarks))
                       for h in hands] if self.video else []
        return sorted(hands, key=lambda h: -h.size())

    def _follow(self, image: np.ndarray) -> list[Hand]:
        hands: list[Hand] = []
        for track in self.tracks:
            hand = self._hand(image, track.region, track.id)
            if hand is not None and not self._duplicate(hand, hands):
                hands.append(hand)
        return hands

    def _search(self, image: np.ndarray, known: list[Hand]) -> list[Hand]:
        # In video mode a frame without hands alternates plain and padded searches, so
        # that searching costs one detector run per frame.
        pad_first = self.video and self._pad_next and not known
        palms = self._detect(image, padded=pad_first)
        if not palms and not known and not self.video:
            palms = self._detect(image, padded=True)
        self._pad_next = not self._pad_next
        found: list[Hand] = []
        for palm in palms:
            if len(known) + len(found) >= self.max_hands:
                break
            region = HandRegion.from_palm(palm.box, palm.keypoints)
            if any(region.iou(h.region) > SAME_HAND_IOU for h in known + found):
                continue
            hand = self._hand(image, region, next(self._ids))
            if hand is not None and not self._duplicate(hand, known + found):
                found.append(hand)
        if not found and not known and (pad_first or not self.video):
            found = self._whole_frame(image)
        return found

    def _search_beside(self, image: np.ndarray, known: list[Hand]) -> list[Hand]:
        """Palms the detector missed beside the hands found: it scores one hand per
        neighbourhood, so the strips left, right, above and below the found hands are
        searched on their own."""
        boxes = np.array([[*h.landmarks[:, :2].min(axis=0), *h.landmarks[:, :2].max(axis=0)]
                          for h in known])
        x0, y0 = boxes[:, :2].min(axis=0)
        x1, y1 = boxes[:, 2:].max(axis=0)
        margin = 0.25 * max(x1 - x0, y1 - y0)
        height, width = image.shape[:2]
        strips = [(0, 0, x0 + margin, height), (x1 - margin, 0, width, height),
                  (0, 0, width, y0 + margin), (0, y1 - margin, width, height)]
        found: list[Hand] = []
        for sx0, sy0, sx1, sy1 in strips:
            left, top = max(0, int(sx0)), max(0, int(sy0))
            right, bottom = min(width, int(sx1)), min(height, int(sy1))
            if min(right - left, bottom - top) < max(16, margin):
                continue
            self.palm_runs += 1
            for palm in self.palms.detect(image[top:bottom, left:right]):
                shift = np.array([left, top], np.float32)
                box = palm.box + np.tile(shift, 2)
                hand = self._hand(image, HandRegion.from_palm(box, palm.keypoints + shift),
                                  next(self._ids))
                # A part of a found hand (its curled fingers, say) is not a new hand.
                if hand is not None and not self._duplicate(hand, known + found,
                                                            of_smaller=True):
                    found.append(hand)
                if len(known) + len(found) >= self.max_hands:
                    return found
        return found

    def _whole_frame(self, image: np.ndarray) -> list[Hand]:
        """A hand filling the frame, which the palm detector does not see even with a
        border: the landmark model is asked about the whole frame."""
        height, width = image.shape[:2]
        hand = self.landmarks.run(image, HandRegion(width / 2, height / 2, max(width, height),
                                                    0.0), self.mirrored)
        if hand.presence < WHOLE_FRAME_PRESENCE:
            return []
        hand = self.landmarks.run(image, HandRegion.from_landmarks(hand.landmarks),
                                  self.mirrored)
        if hand.presence < WHOLE_FRAME_PRESENCE:
            return []
        return [Hand(hand.landmarks, hand.world, hand.presence, hand.left, hand.region,
                     next(self._ids))]

    def _detect(self, image: np.ndarray, padded: bool) -> list[Palm]:
        self.palm_runs += 1
        if not padded:
            return self.palms.detect(image)
        border = int(max(image.shape[:2]) * PAD_FRACTION)
        canvas = cv2.copyMakeBorder(image, border, border, border, border,
                                    cv2.BORDER_CONSTANT, value=(0, 0, 0))
        return [Palm(p.box - border, p.keypoints - border, p.score)
                for p in self.palms.detect(canvas)]

    def _hand(self, image: np.ndarray, region: HandRegion, track_id: int) -> Hand | None:
        hand = self.landmarks.run(image, region, self.mirrored)
        if hand.presence < PRESENCE_THRESHOLD:
            return None
        return Hand(hand.landmarks, hand.world, hand.presence, hand.left, region, track_id)

    @staticmethod
    def _duplicate(hand: Hand, others: list[Hand], of_smaller: bool = False) -> bool:
        """The same hand found twice (two tracks drifting onto one hand); with
        ``of_smaller``, also a hand lying mostly inside another one."""
        limit = PART_OF_HAND if of_smaller else SAME_HAND_IOU
        return any(_box_overlap(hand.landmarks, other.landmarks, of_smaller) > limit
                   for other in others)


def _box_overlap(a: np.ndarray, b: np.ndarray, of_smaller: bool = False) -> float:
    """Intersection over union of the boxes around two hands' landmarks, or over the
    smaller box's area."""
    a0, a1 = a[:, :2].min(axis=0), a[:, :2].max(axis=0)
    b0, b1 = b[:, :2].min(axis=0), b[:, :2].max(axis=0)
    inter = np.clip(np.minimum(a1, b1) - np.maximum(a0, b0), 0, None).prod()
    area_a, area_b = (a1 - a0).prod(), (b1 - b0).prod()
    denominator = min(area_a, area_b) if of_smaller else area_a + area_b - inter
    return float(inter / denominator) if denominator > 0 else 0.0
