"""What the real models find in the sample media the app ships (assets/samples).

Faces per photo (the face demo's Haar cascade), hands and the gesture named per hand
photo (static mode, as "Add a folder…" reads them), and, for the clip, how many frames
show a hand and which gesture the live pipeline (video mode, smoothed, as the demos run
it) names. One ``name value unit`` line per figure.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classroom_app.core import paths  # noqa: E402
from classroom_app.core.hands.gestures import classify  # noqa: E402
from classroom_app.core.hands.live import LiveHands  # noqa: E402
from classroom_app.core.hands.tracker import HandTracker  # noqa: E402
from classroom_app.core.vision.faces import FaceDetector  # noqa: E402
from classroom_app.core.vision.pictures import pictures_in, read_picture  # noqa: E402

SAMPLES = paths.sample_images_dir()
EXPECTED = {"open_palm": "Open_Palm", "fist": "Closed_Fist", "victory": "Victory",
            "pointing_up": "Pointing_Up", "thumb_up": "Thumb_Up", "i_love_you": "ILoveYou"}


def faces() -> None:
    detector = FaceDetector()
    for photo in pictures_in(SAMPLES / "faces") + pictures_in(SAMPLES):
        found = len(detector.detect(read_picture(photo)))
        print(f"faces_found[{photo.relative_to(SAMPLES).as_posix()}] {found} faces")


def hand_photos() -> None:
    tracker = HandTracker.open(max_hands=1, video=False)
    for folder, gesture in EXPECTED.items():
        photos = pictures_in(SAMPLES / "hands" / folder)
        found = right = 0
        for photo in photos:
            tracker.reset()
            hands = tracker.process(read_picture(photo, max_side=None))
            found += bool(hands)
            right += bool(hands) and classify(hands[0]).name == gesture
        print(f"hand_photos[{folder}] {len(photos)} photos")
        print(f"hands_found[{folder}] {found} photos")
        print(f"gesture_named_right[{folder}] {right} photos")


def clip() -> None:
    live = LiveHands(HandTracker.open(max_hands=2, video=True), mirror=False)
    capture = cv2.VideoCapture(str(SAMPLES / "hands" / "gestures.mp4"))
    frames, with_hand = 0, 0
    named: collections.Counter[str] = collections.Counter()
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames += 1
        seen = live(frame).hands
        with_hand += bool(seen)
        if seen:
            named[seen[0].gesture.name] += 1
    capture.release()
    print(f"clip_frames {frames} frames")
    print(f"clip_frames_with_a_hand {with_hand} frames")
    for gesture, count in sorted(named.items()):
        print(f"clip_gesture[{gesture}] {count} frames")


if __name__ == "__main__":
    faces()
    hand_photos()
    clip()
