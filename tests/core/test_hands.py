"""The hand pipeline on real photos: the converted models against TFLite's numbers,
hands and gestures found, tracking, mirroring, bad frames and damaged model files."""

from __future__ import annotations

import importlib.util
import shutil
import tomllib
from pathlib import Path

import cv2
import numpy as np
import pytest

from classroom_app.core import paths
from classroom_app.core.hands.gestures import Gesture, GestureSmoother, classify
from classroom_app.core.hands.live import LiveHands
from classroom_app.core.hands.models import model_file
from classroom_app.core.hands.tracker import HandTracker
from classroom_app.core.vision.model_files import ModelError, open_session

HANDS_DIR = paths.models_dir() / "hands"
NO_PEOPLE = ["mps_american_pizza.jpg", "mps_cat.jpg", "mps_cup.png", "effnetlite_repo_panda.jpg",
             "mps_wine_pasta.jpg", "mps_cats_and_dogs.jpg"]


def _convert_module():
    spec = importlib.util.spec_from_file_location("convert_hands",
                                                  paths.models_dir() / "convert_hands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def static() -> HandTracker:
    return HandTracker.open(video=False)


@pytest.mark.parametrize("name", ["palm_detection_lite", "palm_detection_full",
                                  "hand_landmark_lite", "hand_landmark_full"])
def test_onnx_models_match_the_tflite_reference_numbers(name: str) -> None:
    convert = _convert_module()
    manifest = tomllib.loads((HANDS_DIR / "manifest.toml").read_text(encoding="utf-8"))
    session = open_session(model_file(*name.rsplit("_", 1)), threads=1)
    names = sorted(o.name for o in session.get_outputs())
    size = 192 if name.startswith("palm") else 224
    inputs = {"synthetic": convert.reference_inputs(size)}
    photos = paths.shipped_root().parent / "shared" / "testdata" / "hands"
    for photo in convert.REFERENCE_PHOTOS:
        expected_sha = manifest["reference_photos"].get(f"{photo}@{size}")
        if (photos / photo).is_file() and expected_sha:
            tensor = convert.photo_input(photos / photo, size)
            if convert.tensor_sha256(tensor) == expected_sha:  # same OpenCV resize
                inputs[photo] = tensor[None]
    with np.load(HANDS_DIR / "reference_outputs.npz") as reference:
        compared = 0
        for key, batch in inputs.items():
            for i, tensor in enumerate(batch):
                got = session.run(names, {"input_1": tensor})
                for j, output in enumerate(got):
                    expected = reference[f"{name}/{key}/{i}/{j}"]
                    assert output.shape == expected.shape
                    assert np.abs(output - expected).max() < 1e-3, (key, i, j)
                    compared += 1
    assert compared >= 2 * len(names)


def test_the_shipped_thumbs_up_photos_are_thumb_up(static, shared_testdata: Path) -> None:
    for name in ("thumbup_mps_hand_thumb_up.jpg", "thumbup_mps_thumbs-up.png"):
        hands = static.process(cv2.imread(str(shared_testdata / "hands" / name)))
        assert len(hands) == 1, name
        gesture = classify(hands[0])
        assert gesture.name == "Thumb_Up" and gesture.confidence > 0.8, name


def test_two_hands_one_hiding_the_others_palm_are_both_found(static, shared_testdata) -> None:
    hands = static.process(cv2.imread(str(shared_testdata / "hands" /
                                          "thumbup_mps_two_hands.jpg")))
    assert len(hands) == 2
    assert classify(hands[0]).name == "Thumb_Up"  # the front hand, biggest first
    assert hands[0].track_id != hands[1].track_id


def test_a_victory_hand_filling_the_whole_photo_is_found(static, shared_testdata) -> None:
    picture = cv2.imread(str(shared_testdata / "hands" / "victory_mps_hand_victory.jpg"))
    hands = static.process(picture)
    assert len(hands) == 1
    assert classify(hands[0]).name == "Victory"
    assert hands[0].size() > 0.6 * max(picture.shape[:2])


def test_no_hand_in_photos_without_people(static, shared_testdata: Path) -> None:
    for name in NO_PEOPLE:
        assert static.process(cv2.imread(str(shared_testdata / "objects" / name))) == [], name


def test_dark_blurred_tiny_and_odd_frames_give_no_crash(static, shared_testdata) -> None:
    photo = cv2.imread(str(shared_testdata / "hands" / "thumbup_mps_hand_thumb_up.jpg"))
    assert static.process(np.zeros((480, 640, 3), np.uint8)) == []
    assert static.process(np.full((480, 640, 3), 255, np.uint8)) == []
    assert static.process(np.zeros((8, 8, 3), np.uint8)) == []
    assert static.process(np.zeros((480, 640), np.uint8)) == []  # grey: not a colour frame
    very_dark = (photo * 0.08).astype(np.uint8)
    static.process(very_dark)  # may or may not find it; must not fail
    blurred = cv2.GaussianBlur(photo, (0, 0), 6)
    for hand in static.process(blurred):
        assert np.isfinite(hand.landmarks).all()
    tall = cv2.resize(photo, (60, 900))
    static.process(tall)


def test_mirrored_selfie_view_keeps_left_as_left(shared_testdata: Path) -> None:
    photo = cv2.imread(str(shared_testdata / "hands" / "thumbup_mps_hand_thumb_up.jpg"))
    plain = HandTracker.open(video=False, mirrored=False).process(photo)[0]
    selfie = HandTracker.open(video=False, mirrored=True).process(cv2.flip(photo, 1))[0]
    assert plain.is_left == selfie.is_left  # the same person's same hand
    assert plain.handedness_score > 0.8 and selfie.handedness_score > 0.8
    # In the selfie view the hand is drawn where the pupil sees it: on the other side.
    width = photo.shape[1]
    assert abs((width - plain.landmarks[0, 0]) - selfie.landmarks[0, 0]) < 0.05 * width


def moving_frames(photo: np.ndarray, n: int) -> list[np.ndarray]:
    """The photo as a camera would see a hand moving a little, 640x480."""
    frames = []
    base = cv2.resize(photo, (640, 480))
    for i in range(n):
        angle, dx, dy = 8 * np.sin(i / 6), 30 * np.sin(i / 9), 15 * np.cos(i / 7)
        matrix = cv2.getRotationMatrix2D((320, 240), angle, 1 + 0.05 * np.sin(i / 5))
        matrix[:, 2] += (dx, dy)
        frames.append(cv2.warpAffine(base, matrix, (640, 480), borderMode=cv2.BORDER_REFLECT))
    return frames


def test_tracking_follows_the_hand_without_searching_again(shared_testdata: Path) -> None:
    photo = cv2.imread(str(shared_testdata / "hands" / "thumbup_mps_hand_thumb_up.jpg"))
    tracker = HandTracker.open(video=True, max_hands=1)
    ids, gestures = set(), []
    for frame in moving_frames(photo, 40):
        hands = tracker.process(frame)
        assert len(hands) == 1
        ids.add(hands[0].track_id)
        gestures.append(classify(hands[0]).name)
    assert len(ids) == 1  # one hand, followed all along
    assert tracker.palm_runs == 1  # the palm detector ran for the first frame only
    assert gestures.count("Thumb_Up") >= 36


def test_a_hand_that_leaves_is_searched_for_again(shared_testdata: Path) -> None:
    photo = cv2.imread(str(shared_testdata / "hands" / "thumbup_mps_hand_thumb_up.jpg"))
    frame = cv2.resize(photo, (640, 480))
    tracker = HandTracker.open(video=True, max_hands=1)
    assert len(tracker.process(frame)) == 1
    assert tracker.process(np.zeros_like(frame)) == []
    assert tracker.tracks == []
    assert len(tracker.process(frame)) == 1


def test_live_hands_draws_the_skeleton_and_reports_steady_gestures(shared_testdata) -> None:
    photo = cv2.imread(str(shared_testdata / "hands" / "thumbup_mps_hand_thumb_up.jpg"))
    live = LiveHands(HandTracker.open(max_hands=1), mirror=True)
    for frame in moving_frames(photo, 8):
        seen = live(frame)
    assert len(seen.hands) == 1
    assert seen.hands[0].gesture.name == "Thumb_Up"
    assert seen.hands[0].features.shape == (127,)
    plain = cv2.flip(cv2.resize(photo, (640, 480)), 1)
    assert np.abs(seen.picture.astype(int) - plain.astype(int)).sum() > 0  # drawn on
    assert seen.picture.shape == (480, 640, 3)


def test_the_smoother_ignores_a_single_odd_frame() -> None:
    smoother = GestureSmoother(window=5)
    shown = [smoother.update(1, Gesture(name, 0.9)).name for name in
             ["Thumb_Up"] * 4 + ["Victory"] + ["Thumb_Up"] * 2 + ["Victory"] * 4]
    assert shown[:7] == ["Thumb_Up"] * 7
    assert shown[-1] == "Victory"
    smoother.forget_others(set())
    assert smoother.shown == {}


def _copy_models(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    shutil.copytree(HANDS_DIR, root / "hands")
    return root


def test_damaged_missing_or_foreign_hand_models_are_refused(tmp_path: Path) -> None:
    root = _copy_models(tmp_path)
    path = root / "hands" / "hand_landmark_lite.onnx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        HandTracker.open(root=root)
    shutil.copy(root / "hands" / "palm_detection_full.onnx", path)
    with pytest.raises(ModelError, match="sha256"):
        HandTracker.open(root=root)
    path.unlink()
    with pytest.raises(ModelError, match="缺少|missing"):
        HandTracker.open(root=root)
    (root / "hands" / "manifest.toml").write_text("not = [toml", encoding="utf-8")
    with pytest.raises(ModelError):
        HandTracker.open(root=root)
