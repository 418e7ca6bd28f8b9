"""Gestures a student teaches: features from real photos, leave-one-out accuracy, the
exported ONNX file, the saved project, the command line, and bad data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import pytest

from classroom_app.cli.main import main as cli_main
from classroom_app.core.hands.features import COUNT, gesturing_hand, landmark_features
from classroom_app.core.hands.gesture_model import (
    GestureClassifier,
    export_gesture_model,
    train_gestures,
)
from classroom_app.core.hands.gesture_project import GestureProject, newest_project
from classroom_app.core.hands.tracker import HandTracker
from classroom_app.core.vision.held_out import EARLIER, END_OF_EARLIER, OTHER_RECORDINGS
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.teach_project import ProjectError, new_burst
from classroom_app.core.vision.training import TrainingError, leave_one_out_accuracy

CLASSES = ("call", "four", "none", "rock")


@pytest.fixture(scope="module")
def trainable() -> tuple[np.ndarray, np.ndarray, int]:
    folder = Path(__file__).resolve().parents[2].parent / "shared/testdata/hands/trainable"
    if not folder.is_dir():
        pytest.skip("the shared test photos are missing")
    tracker = HandTracker.open(video=False)
    features, labels, photos = [], [], 0
    for path in sorted(folder.glob("*.jpg")):
        photos += 1
        hand = gesturing_hand(tracker.process(cv2.imread(str(path))))
        if hand is not None:
            features.append(landmark_features(hand))
            labels.append(CLASSES.index(path.name.split("_")[0]))
    return np.array(features), np.array(labels), photos


def test_leave_one_out_on_the_trainable_photos(trainable) -> None:
    features, labels, photos = trainable
    assert photos == 20
    assert len(labels) >= 18  # people 1-3 m away: a hand or two may be too small
    assert features.shape[1] == COUNT and np.isfinite(features).all()
    accuracy = leave_one_out_accuracy(features, labels, CLASSES)
    assert accuracy >= 0.8, accuracy


def test_the_exported_model_runs_in_plain_onnxruntime(trainable, tmp_path: Path) -> None:
    features, labels, _ = trainable
    model = train_gestures(features, labels, CLASSES)
    out = export_gesture_model(model, tmp_path / "mine")
    assert out.suffix == ".onnx"
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    probabilities = session.run(None, {"landmark_features": features.astype(np.float32)})[0]
    np.testing.assert_allclose(probabilities, model.probabilities(features), atol=1e-5)
    opened = GestureClassifier.open(out)
    assert opened.names == CLASSES
    in_memory = GestureClassifier.from_model(model).predict(features[0])
    assert opened.predict(features[0]).best[0] == in_memory.best[0]
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["ai_classroom.labels"]) == list(CLASSES)


def test_other_files_are_not_taken_for_gesture_models(tmp_path: Path) -> None:
    from classroom_app.core import paths

    with pytest.raises(ModelError, match="手势|gesture"):
        GestureClassifier.open(paths.models_dir() / "hands" / "hand_landmark_lite.onnx")
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        GestureClassifier.open(broken)


def test_training_needs_two_to_eight_named_gestures_with_examples() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(9, COUNT)).astype(np.float32)
    with pytest.raises(TrainingError):
        train_gestures(x[:3], np.zeros(3, int), ["one"])
    with pytest.raises(TrainingError):
        train_gestures(np.repeat(x, 3, axis=0), np.arange(27) % 9, [str(i) for i in range(9)])
    with pytest.raises(TrainingError):
        train_gestures(x[:4], np.array([0, 0, 0, 1]), ["a", "b"])  # one example of b


def test_a_project_keeps_examples_and_model_across_restarts(trainable) -> None:
    """Examples, the recording each was taken in, and the model come back."""
    features, labels, _ = trainable
    project = GestureProject.create("张三", "我的手势", list(CLASSES))
    for f, label in zip(features, labels, strict=True):
        project.add_sample(int(label), f)
    project.model = train_gestures(*project.training_data(), project.class_names(),
                                   bursts=project.bursts())
    project.save()
    again = GestureProject.open(newest_project("张三"))
    assert again.class_names() == list(CLASSES)
    assert again.counts() == project.counts()
    assert again.bursts() == project.bursts() and len(set(again.bursts())) == len(labels)
    assert again.model.test_rules == (OTHER_RECORDINGS,) * 4
    assert again.model is not None and again.model.class_names == CLASSES
    x, y = again.training_data()
    np.testing.assert_array_equal(y, project.training_data()[1])
    assert GestureProject.create("张三", "我的手势", ["a", "b"]).folder != project.folder


def test_a_gesture_project_saved_before_recordings_were_noted_opens_and_trains(
        trainable) -> None:
    """An old project (format 1: example ids only) keeps its examples; each gesture
    counts as one recording, and saving it again moves it to the new format."""
    features, labels, _ = trainable
    project = GestureProject.create("李四", "旧手势", list(CLASSES))
    for f, label in zip(features, labels, strict=True):
        project.add_sample(int(label), f, new_burst())
    project.save()
    data = json.loads((project.folder / "project.json").read_text(encoding="utf-8"))
    data["format"] = 1
    for entry in data["classes"]:
        entry["samples"] = [item["id"] for item in entry["samples"]]
    (project.folder / "project.json").write_text(json.dumps(data), encoding="utf-8")

    old = GestureProject.open(project.folder)
    assert old.counts() == project.counts() and old.bursts() == [EARLIER] * len(labels)
    model = train_gestures(*old.training_data(), old.class_names(), bursts=old.bursts())
    assert model.test_rules == (END_OF_EARLIER,) * 4 and model.test_samples == 4
    old.add_sample(0, features[0], new_burst())
    old.save()
    again = GestureProject.open(project.folder)
    assert json.loads((project.folder / "project.json").read_text())["format"] == 2
    assert again.bursts().count(EARLIER) == len(labels)


def test_a_damaged_project_says_so_and_a_damaged_sample_file_keeps_the_gestures() -> None:
    project = GestureProject.create("pupil", "p", ["up", "down"])
    project.add_sample(0, np.zeros(COUNT))
    project.save()
    (project.folder / "samples.npz").write_bytes(b"garbage")
    again = GestureProject.open(project.folder)
    assert again.class_names() == ["up", "down"] and again.counts() == [0, 0]
    (project.folder / "project.json").write_text("{", encoding="utf-8")
    with pytest.raises(ProjectError):
        GestureProject.open(project.folder)


def test_gesture_cli_reports_hands_gestures_and_a_trained_model(shared_testdata: Path,
                                                                tmp_path: Path, capsys) -> None:
    folders = []
    for name in CLASSES:
        folder = tmp_path / name
        folder.mkdir()
        for photo in (shared_testdata / "hands" / "trainable").glob(f"{name}_*.jpg"):
            shutil.copy(photo, folder)
        folders += ["--class", f"{name}={folder}"]
    out = tmp_path / "gestures.onnx"
    assert cli_main(["gesture-train", *folders, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["classes"] == list(CLASSES)
    assert summary["leave_one_out_accuracy"] >= 0.8
    assert summary["test_rules"] == [OTHER_RECORDINGS] * 4  # each photo on its own
    assert "训练时电脑没见过它们" in summary["test_explanation"]
    assert out.is_file()

    victory = shared_testdata / "hands" / "victory_mps_hand_victory.jpg"
    assert cli_main(["gesture", str(victory), str(tmp_path / "four" / "four_06aa70cc.jpg"),
                     "--model", str(out), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results[0]["width"] == 3000 and results[0]["hands"][0]["gesture"] == "Victory"
    assert len(results[0]["hands"][0]["landmarks"]) == 21
    assert results[1]["hands"][0]["model_class"] == "four"


def test_gesture_cli_refuses_bad_input_clearly(tmp_path: Path, capsys) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    assert cli_main(["gesture", str(text)]) == 1
    assert "notes.txt" in capsys.readouterr().err
    assert cli_main(["gesture", str(text), "--model", str(text)]) == 1
    assert cli_main(["gesture-train", "--class", "a", "--out", str(tmp_path / "m")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main(["gesture-train", "--class", f"a={empty}", "--class", f"b={empty}",
                     "--out", str(tmp_path / "m.onnx")]) == 1
    assert "a" in capsys.readouterr().err
