"""Teaching the computer: embeddings of real photos, training, the held-out test, the
exported ONNX file in a plain onnxruntime session, the saved project, and bad data."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import pytest

from classroom_app.cli.main import main as cli_main
from classroom_app.core.vision import imagenet
from classroom_app.core.vision.classifier import open_model_file
from classroom_app.core.vision.embeddings import Embedder
from classroom_app.core.vision.export import export_taught_model
from classroom_app.core.vision.held_out import (
    EARLIER,
    END_OF_EARLIER,
    END_OF_RECORDING,
    OTHER_RECORDINGS,
    explain,
)
from classroom_app.core.vision.model_store import save_npz
from classroom_app.core.vision.teach_project import (
    ProjectError,
    TeachProject,
    list_projects,
    new_burst,
)
from classroom_app.core.vision.training import TrainingError, check_classes, train

FOOD = ["mps_american_pizza.jpg", "mps_wine_pasta.jpg", "mps_cup.png"]
ANIMALS = ["mps_cat.jpg", "effnetlite_repo_panda.jpg", "mps_cats_and_dogs.jpg"]
UNSEEN = {"mps_italy_pizza.png": 0, "effnetlite_repo_img2.jpg": 1}


def crops(picture: np.ndarray, n: int, seed: int) -> list[np.ndarray]:
    """Different views of one photo, as a pupil moving it in front of a camera gives."""
    rng = np.random.default_rng(seed)
    h, w = picture.shape[:2]
    out = []
    for _ in range(n):
        scale = rng.uniform(0.6, 1.0)
        ch, cw = int(h * scale), int(w * scale)
        y, x = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
        view = picture[y:y + ch, x:x + cw]
        out.append(cv2.flip(view, 1) if rng.random() < 0.5 else view)
    return out


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def _examples(objects: Path) -> tuple[list[np.ndarray], np.ndarray]:
    frames, labels = [], []
    for label, names in enumerate((FOOD, ANIMALS)):
        for i, name in enumerate(names):
            for frame in crops(cv2.imread(str(objects / name)), 8, seed=i):
                frames.append(frame)
                labels.append(label)
    return frames, np.array(labels)


def test_a_model_taught_on_real_photos_learns_and_exports(shared_testdata, embedder,
                                                          tmp_path) -> None:
    objects = shared_testdata / "objects"
    frames, labels = _examples(objects)
    features = embedder.embed_views([imagenet.model_view(f) for f in frames])
    assert features.shape == (48, 1280)
    reports = []
    model = train(features, labels, ["食物", "动物"], on_epoch=reports.append)
    assert model.test_accuracy >= 0.9 and model.test_samples >= 4
    assert model.confusion.sum() == model.test_samples
    assert len(reports) == 120 and reports[-1].loss < reports[0].loss
    # Photos the model never saw, of the same two kinds.
    samples = Path(__file__).parents[2] / "assets" / "samples"
    unseen = [(objects / n, k) for n, k in UNSEEN.items()] + [(samples / "coffee.jpg", 0),
                                                              (samples / "chelsea.jpg", 1)]
    for path, expected in unseen:
        guess = model.probabilities(embedder.embed(cv2.imread(str(path))))[0]
        assert guess.argmax() == expected, path.name

    out = export_taught_model(embedder.model_path, model, tmp_path / "食物和动物.onnx")
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["probabilities"]
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["ai_classroom.labels"]) == ["食物", "动物"]
    batch = np.concatenate([imagenet.preprocess(cv2.imread(str(objects / n))) for n in UNSEEN])
    exported = session.run(None, {"input": batch})[0]
    in_app = model.probabilities(embedder.embed_views(
        [imagenet.model_view(cv2.imread(str(objects / n))) for n in UNSEEN]))
    np.testing.assert_allclose(exported, in_app, atol=1e-4)
    assert list(exported.argmax(axis=1)) == list(UNSEEN.values())
    # The app's classifier opens it with its class names.
    opened = open_model_file(out)
    best = opened.classify(cv2.imread(str(objects / "mps_italy_pizza.png"))).best
    assert best.label.name() == "食物" and best.probability > 0.5


def test_bad_class_sets_are_refused_with_a_reason() -> None:
    with pytest.raises(TrainingError, match="2"):
        check_classes(["猫"], [10])
    with pytest.raises(TrainingError, match="狗"):
        check_classes(["猫", "狗"], [10, 0])
    with pytest.raises(TrainingError, match="狗"):
        check_classes(["猫", "狗"], [10, 3])
    with pytest.raises(TrainingError):
        check_classes(["猫", "猫"], [10, 10])
    with pytest.raises(TrainingError):
        check_classes([str(i) for i in range(11)], [10] * 11)
    with pytest.raises(TrainingError):
        train(np.zeros((10, 1280)), np.zeros(10, int), ["一类"])


def test_a_project_is_saved_as_it_changes_and_reopens(embedder) -> None:
    """Samples, the recording each was taken in, embeddings and the model come back."""
    picture = cv2.imread(str(Path(__file__).parents[2] / "assets" / "samples" / "coffee.jpg"))
    project = TeachProject.create("class1-20260401", "我的模型", ["咖啡", "猫"])
    sample = project.add_sample(0, picture)
    assert (project.folder / "samples" / f"{sample.id}.jpg").is_file()  # on disk at once
    first, second = new_burst(), new_burst()
    for i, frame in enumerate(crops(picture, 5, 1)):
        project.add_sample(0, frame, first if i < 3 else second)
    cat = cv2.imread(str(Path(__file__).parents[2] / "assets" / "samples" / "chelsea.jpg"))
    held = new_burst()
    for frame in crops(cat, 6, 2):
        project.add_sample(1, frame, held)
    project.remove_sample(0, sample.id)
    for s in project.missing_embeddings():
        project.embeddings[s.id] = embedder.embed_views([s.view])[0]
    features, labels = project.training_data()
    assert project.bursts() == [first] * 3 + [second] * 2 + [held] * 6
    project.model = train(features, labels, project.class_names(), bursts=project.bursts())
    assert project.model.test_rules == (OTHER_RECORDINGS, END_OF_RECORDING)
    project.save()
    assert not (project.folder / "samples" / f"{sample.id}.jpg").exists()

    assert list_projects("class1-20260401") == [project.folder.name]
    again = TeachProject.open(project.folder)
    assert again.counts() == [5, 6] and again.class_names() == ["咖啡", "猫"]
    assert again.bursts() == project.bursts()
    assert not again.missing_embeddings()  # cached, not recomputed
    assert again.model is not None and again.model.test_accuracy == project.model.test_accuracy
    np.testing.assert_allclose(again.model.weights, project.model.weights)
    assert len(again.model.history) == 120
    assert again.model.test_rules == project.model.test_rules


def as_saved_by_version_1(folder: Path) -> None:
    """Rewrite a project as the app wrote it before recordings were noted: sample ids
    only in ``project.json`` (format 1), no test rules in ``model.npz``."""
    data = json.loads((folder / "project.json").read_text(encoding="utf-8"))
    data["format"] = 1
    for entry in data["classes"]:
        entry["samples"] = [item["id"] for item in entry["samples"]]
    data.get("model", {}).pop("test_rules", None)
    (folder / "project.json").write_text(json.dumps(data, ensure_ascii=False),
                                         encoding="utf-8")
    if (folder / "model.npz").exists():
        with np.load(folder / "model.npz") as saved:
            arrays = {k: saved[k] for k in saved.files if k != "test_rules"}
        save_npz(folder / "model.npz", arrays)


def test_a_project_saved_before_recordings_were_noted_opens_and_trains(embedder) -> None:
    """An old project keeps its samples and model; each class counts as one recording
    (tested on its last samples, the conservative choice), the old model says it was
    tested at random, and saving it again moves it to the new format."""
    samples = Path(__file__).parents[2] / "assets" / "samples"
    project = TeachProject.create("guest", "旧项目", ["咖啡", "猫"])
    for index, name in enumerate(("coffee.jpg", "chelsea.jpg")):
        for frame in crops(cv2.imread(str(samples / name)), 10, index):
            project.add_sample(index, frame, new_burst())
    for s in project.missing_embeddings():
        project.embeddings[s.id] = embedder.embed_views([s.view])[0]
    project.model = train(*project.training_data(), project.class_names())
    project.save()
    as_saved_by_version_1(project.folder)

    old = TeachProject.open(project.folder)
    assert old.counts() == [10, 10] and not old.missing_embeddings()
    assert old.bursts() == [EARLIER] * 20
    assert old.model is not None and old.model.test_rules == ()
    assert "随便挑" in explain(old.model.class_names, old.model.test_rules)
    old.model = train(*old.training_data(), old.class_names(), bursts=old.bursts())
    assert old.model.test_rules == (END_OF_EARLIER, END_OF_EARLIER)
    assert old.model.test_samples == 4 and old.model.test_accuracy == 1.0
    assert "旧版本" in explain(old.model.class_names, old.model.test_rules)
    old.add_sample(0, cv2.imread(str(samples / "coffee.jpg")))  # a new photo: its own
    old.save()
    data = json.loads((project.folder / "project.json").read_text(encoding="utf-8"))
    assert data["format"] == 2
    again = TeachProject.open(project.folder)
    bursts = again.bursts()  # class 0's new photo is its eleventh sample
    assert bursts[10] != EARLIER and bursts[:10] + bursts[11:] == [EARLIER] * 20
    assert again.model.test_rules == (END_OF_EARLIER, END_OF_EARLIER)


def test_a_damaged_project_file_is_reported_and_its_photos_kept() -> None:
    picture = cv2.imread(str(Path(__file__).parents[2] / "assets" / "samples" / "coffee.jpg"))
    project = TeachProject.create("guest", "坏了", ["a", "b"])
    project.add_sample(0, picture)
    project.save()
    (project.folder / "project.json").write_text('{"format": 1, "name": "x", "cla',
                                                 encoding="utf-8")
    with pytest.raises(ProjectError, match="samples"):
        TeachProject.open(project.folder)
    assert len(list((project.folder / "samples").glob("*.jpg"))) == 1
    (project.folder / "embeddings.npz").write_bytes(b"garbage")
    (project.folder / "project.json").write_text(
        json.dumps({"format": 1, "name": "x", "classes": [{"name": "a", "samples": []},
                                                           {"name": "b", "samples": []}]}),
        encoding="utf-8")
    assert TeachProject.open(project.folder).embeddings == {}  # a bad cache is recomputed


def test_train_cli_trains_from_folders_and_exports(shared_testdata, tmp_path, capsys) -> None:
    objects = shared_testdata / "objects"
    for label, names in (("food", FOOD), ("animal", ANIMALS)):
        folder = tmp_path / label
        folder.mkdir()
        for i, name in enumerate(names):
            for j, frame in enumerate(crops(cv2.imread(str(objects / name)), 3, seed=i)):
                cv2.imwrite(str(folder / f"{i}_{j}.jpg"), frame)
    (tmp_path / "food" / "readme.jpg").write_text("not a picture", encoding="utf-8")
    out = tmp_path / "model.onnx"
    code = cli_main(["train", "--class", f"food={tmp_path / 'food'}",
                     "--class", f"animal={tmp_path / 'animal'}", "--out", str(out), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["classes"] == ["food", "animal"]
    assert summary["samples_per_class"] == [9, 9]
    assert summary["test_accuracy"] >= 0.75
    assert len(summary["skipped"]) == 1 and out.is_file()
    assert cli_main(["classify", "--model", str(out), "--json",
                     str(objects / "mps_italy_pizza.png")]) == 0
    top = json.loads(capsys.readouterr().out)["results"][0]["top5"]
    assert top[0]["name"] == "food" and len(top) == 2
    assert cli_main(["train", "--class", f"food={tmp_path / 'food'}", "--out", str(out)]) == 1
    assert cli_main(["train", "--class", "nothing", "--out", str(out)]) == 2
