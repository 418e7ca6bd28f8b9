"""The real EfficientNet-Lite0 on real photos, the sha256 check, and bad model files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from classroom_app.cli.main import main as cli_main
from classroom_app.core import i18n, paths
from classroom_app.core.vision import model_files
from classroom_app.core.vision.classifier import open_model_file, open_shipped
from classroom_app.core.vision.model_files import ModelError, load_labels, load_manifest
from classroom_app.core.vision.pictures import PictureError, read_picture

EXPECTED = {  # photo -> an ImageNet index that must be among the top 5
    "effnetlite_repo_panda.jpg": 388,  # giant panda
    "effnetlite_repo_img2.jpg": 388,
    "mps_american_pizza.jpg": 963,  # pizza
    "mps_italy_pizza.png": 963,
    "mps_cup.png": 504,  # coffee mug
    "mps_cat.jpg": 282,  # tiger cat
}


@pytest.fixture(scope="module")
def fp32():
    return open_shipped("fp32")


@pytest.fixture(scope="module")
def int8():
    return open_shipped("int8")


def test_labels_have_a_child_friendly_chinese_name_for_all_1000_classes() -> None:
    labels = load_labels(load_manifest())
    assert len(labels) == 1000
    assert labels[388].en == "giant panda" and labels[388].zh_CN == "大熊猫"
    assert all(label.zh_CN and label.en for label in labels)
    assert len({label.zh_CN for label in labels}) == 1000
    assert len({label.en for label in labels}) == 1000
    latin = [label.zh_CN for label in labels if any("a" <= c.lower() <= "z" for c in label.zh_CN)]
    assert len(latin) <= 3  # "T恤", "CD播放机": names children use


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_the_real_photos_get_sensible_top5_labels(shared_testdata: Path, variant: str,
                                                  fp32, int8) -> None:
    classifier = fp32 if variant == "fp32" else int8
    for name, index in EXPECTED.items():
        found = classifier.classify(read_picture(shared_testdata / "objects" / name))
        top5 = [g.label.index for g in found.guesses]
        assert index in top5, (name, [g.label.en for g in found.guesses])
        assert found.view.shape == (224, 224, 3)
        assert abs(sum(g.probability for g in found.guesses) - 1) < 1  # probabilities
    panda = fp32.classify(cv2.imread(str(shared_testdata / "objects" /
                                         "effnetlite_repo_panda.jpg")))
    assert panda.best.label.en == "giant panda" and panda.best.probability > 0.8
    assert panda.best.label.name() == "大熊猫"
    i18n.set_language("en")
    assert panda.best.label.name() == "giant panda"


def test_int8_agrees_with_fp32_on_the_object_photos(shared_testdata: Path, fp32, int8) -> None:
    """The quantised model names the same thing as the precise one. On a photo where two
    answers are close (wine and pasta: plate 0.27, red wine 0.21) the int8 kernels of
    one CPU may swap them, so one photo may differ, but only within the top three."""
    photos = sorted((shared_testdata / "objects").iterdir())
    agree = 0
    for photo in photos:
        precise = fp32.classify(read_picture(photo))
        quantised = int8.classify(read_picture(photo)).best.label.index
        agree += precise.best.label.index == quantised
        assert quantised in [g.label.index for g in precise.guesses[:3]], photo.name
    assert agree >= len(photos) - 1


def test_grey_and_transparent_and_odd_shaped_pictures_are_classified(fp32) -> None:
    sample = cv2.imread(str(paths.sample_images_dir() / "coffee.jpg"))
    grey = cv2.cvtColor(sample, cv2.COLOR_BGR2GRAY)
    rgba = cv2.cvtColor(sample, cv2.COLOR_BGR2BGRA)
    strip = sample[:40]
    for picture in (grey, rgba, strip):
        assert len(fp32.classify(picture).guesses) == 5


def _copy_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "shipped"
    shutil.copytree(paths.models_dir(), root / "models")
    monkeypatch.setattr(paths, "models_dir", lambda: root / "models")
    model_files._labels.cache_clear()
    return root / "models" / "efficientnet_lite0"


def test_a_missing_model_file_says_what_to_do(tmp_path, monkeypatch) -> None:
    folder = _copy_models(tmp_path, monkeypatch)
    (folder / "efficientnet_lite0_int8.onnx").unlink()
    with pytest.raises(ModelError, match="缺少|missing"):
        open_shipped("int8")


def test_a_damaged_model_file_is_refused_by_its_sha256(tmp_path, monkeypatch) -> None:
    folder = _copy_models(tmp_path, monkeypatch)
    path = folder / "efficientnet_lite0_fp32.onnx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        open_shipped("fp32")


def test_a_foreign_file_in_place_of_the_model_is_refused(tmp_path, monkeypatch) -> None:
    folder = _copy_models(tmp_path, monkeypatch)
    shutil.copy(folder / "efficientnet_lite0_int8.onnx", folder / "efficientnet_lite0_fp32.onnx")
    with pytest.raises(ModelError, match="sha256"):
        open_shipped("fp32")


def test_an_onnx_file_with_the_wrong_input_shape_is_refused(tmp_path) -> None:
    from onnx import TensorProto, helper, save

    node = helper.make_node("Identity", ["x"], ["y"])
    graph = helper.make_graph([node], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 10])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])])
    path = tmp_path / "foreign.onnx"
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9),
         str(path))
    with pytest.raises(ModelError, match="224"):
        open_model_file(path)
    text = tmp_path / "notes.onnx"
    text.write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelError):
        open_model_file(text)


def test_bad_pictures_are_refused_with_a_reason(tmp_path) -> None:
    (tmp_path / "notes.jpg").write_text("hello", encoding="utf-8")
    cv2.imwrite(str(tmp_path / "tiny.png"), np.zeros((8, 8, 3), np.uint8))
    cv2.imwrite(str(tmp_path / "huge.png"), np.full((3000, 5000, 3), 120, np.uint8))
    with pytest.raises(PictureError, match="不是图片|not a picture"):
        read_picture(tmp_path / "notes.jpg")
    with pytest.raises(PictureError, match="8×8"):
        read_picture(tmp_path / "tiny.png")
    with pytest.raises(PictureError):
        read_picture(tmp_path / "absent.jpg")
    assert max(read_picture(tmp_path / "huge.png").shape[:2]) == 2048


def test_classify_cli_prints_top5_as_json(shared_testdata: Path, capsys, tmp_path) -> None:
    panda = shared_testdata / "objects" / "effnetlite_repo_panda.jpg"
    (tmp_path / "bad.jpg").write_text("x", encoding="utf-8")
    code = cli_main(["classify", "--json", str(panda), str(tmp_path / "bad.jpg")])
    assert code == 1  # one picture could not be read
    out = json.loads(capsys.readouterr().out)
    first = out["results"][0]["top5"]
    assert len(first) == 5
    assert first[0] == {"index": 388, "name_en": "giant panda", "name": "大熊猫",
                        "language": "zh_CN", "probability": first[0]["probability"]}
    assert first[0]["probability"] > 0.8
    assert "error" in out["results"][1]
    assert cli_main(["--lang", "en", "classify", str(panda)]) == 0
    assert "giant panda" in capsys.readouterr().out
