"""Sources for a PC without a camera: truthful names, the remembered choice per demo,
the shipped samples each demo declares, and whole folders taken as examples."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from classroom_app.core import paths, settings
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.i18n import set_language
from classroom_app.core.vision.folder_import import import_folder
from classroom_app.core.vision.source_memory import SourceMemory
from classroom_app.core.vision.sources import SourceSpec, open_source, samples_spec


def test_a_source_is_named_for_what_it_is() -> None:
    """The label says 示例照片 / 示例视频 for the shipped samples and the file's or
    folder's own name for the school's, never 摄像头 for pictures."""
    samples = paths.sample_images_dir()
    assert SourceSpec("images", str(samples)).describe() == "示例照片"
    assert SourceSpec("video", str(samples / "hands" / "gestures.mp4")).describe() == "示例视频"
    assert SourceSpec("video", "/media/usb/四年级手势.mp4").describe() == "四年级手势.mp4"
    assert SourceSpec("images", "/home/t/我的照片").describe() == "我的照片"
    assert SourceSpec("camera", "0").describe() == "摄像头 0"
    set_language("en")
    assert SourceSpec("images", str(samples / "faces")).describe() == "Sample photos"


def test_every_camera_demo_declares_samples_that_ship_and_what_it_needs() -> None:
    """Each camera demo says in both languages what must be in view, and its samples
    are in assets/samples (hands for the hand demos, faces for the face demo)."""
    catalog = load_catalog()
    for demo in catalog.demos:
        if not demo.needs_camera:
            continue
        assert demo.needs.get("zh_CN") and demo.needs.get("en"), demo.id
        sample = demo.sample_path()
        assert sample is not None and sample.exists(), demo.id
    hands = {d.id: d.samples for d in catalog.demos}
    assert hands["hand_tracking"].startswith("hands/")
    assert hands["face_detection"] == "faces"
    assert samples_spec(paths.sample_images_dir() / "hands" / "gestures.mp4").kind == "video"


def test_the_choice_is_remembered_per_demo_and_kept_in_the_store(ctx, tmp_path: Path) -> None:
    """A teacher's video for one demo comes back after a restart, for that demo only; a
    file that has since gone is not offered, and a camera is never stored."""
    video = tmp_path / "手势.mp4"
    video.write_bytes(b"not really a video")
    memory = SourceMemory(lambda: ctx.settings, ctx.update_settings)
    memory.remember("hand_tracking", SourceSpec("video", str(video)))
    memory.remember("face_detection", SourceSpec("camera", "0"))
    reloaded = settings.load(ctx.store)
    assert reloaded.demo_sources == {"hand_tracking": {"kind": "video", "target": str(video)}}
    again = SourceMemory(lambda: reloaded, ctx.update_settings)
    assert again.recall("hand_tracking") == SourceSpec("video", str(video))
    assert again.recall("face_detection") is None
    video.unlink()
    assert again.recall("hand_tracking") is None


def test_a_hand_edited_setting_is_ignored(ctx) -> None:
    """Rubbish in the stored choice (an old or edited file) never stops a demo."""
    ctx.store.put_settings({"demo_sources": {"hand_tracking": "C:/x.mp4",
                                             "face_detection": {"kind": "rocket"}}})
    loaded = settings.load(ctx.store)
    memory = SourceMemory(lambda: loaded, ctx.update_settings)
    assert memory.recall("hand_tracking") is None and memory.recall("face_detection") is None
    ctx.store.put_settings({"demo_sources": ["not", "a", "mapping"]})
    assert settings.load(ctx.store).demo_sources == {}


def test_a_folder_gives_every_picture_to_the_pipeline_and_says_what_it_skipped(
        tmp_path: Path) -> None:
    """Every readable picture is offered once, in order, with progress; a broken file
    and a picture the pipeline refuses are named, and a stop request ends early."""
    folder = tmp_path / "猫"
    folder.mkdir()
    for name in ("a.jpg", "b.png", "c.jpg"):
        cv2.imwrite(str(folder / name), np.full((120, 160, 3), 90, np.uint8))
    (folder / "broken.jpg").write_bytes(b"xx")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    seen, progress = [], []

    def add(picture: np.ndarray) -> str | None:
        seen.append(picture.shape)
        return "no hand found" if len(seen) == 2 else None

    report = import_folder(folder, add, lambda done, total: progress.append((done, total)))
    assert report.added == 2 and len(seen) == 3
    assert len(report.skipped) == 2 and any("broken.jpg" in s for s in report.skipped)
    assert any(s.startswith("b.png") for s in report.skipped)
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    stopped = import_folder(folder, add, lambda *_: None, should_stop=lambda: True)
    assert stopped.total() == 0


def test_a_folder_of_photos_at_a_chinese_path_plays(tmp_path: Path) -> None:
    """Photos in a folder with a Chinese name are read (cv2.imread cannot on Windows)."""
    folder = tmp_path / "四年级 照片"
    folder.mkdir()
    cv2.imwrite(str(folder / "一.jpg"), np.full((100, 100, 3), 200, np.uint8))
    source = open_source(SourceSpec("images", str(folder)), paced=False)
    assert source.read().shape == (100, 100, 3)
    source.close()


def test_every_shipped_sample_has_its_source_recorded() -> None:
    """Nothing ships in assets/samples without CREDITS.md naming it (or its folder) with
    its source, and the samples stay a few MB."""
    samples = paths.sample_images_dir()
    credits_text = (samples / "CREDITS.md").read_text(encoding="utf-8")
    files = [f for f in samples.rglob("*") if f.is_file() and f.name != "CREDITS.md"]
    for file in files:
        top = file.relative_to(samples).parts[0]
        assert file.name in credits_text or f"`{top}/`" in credits_text, file
    assert sum(f.stat().st_size for f in files) < 3_000_000


def test_an_exported_model_is_offered_under_a_name_in_the_ui_language() -> None:
    """The save dialog proposes 我的手势模型.onnx to a Chinese class and
    my-gestures-model.onnx to an English one, from the project's own name."""
    from classroom_app.core.i18n import tr
    from classroom_app.core.vision.teach_project import export_file_name

    assert export_file_name(tr("My gestures")) == "我的手势模型.onnx"
    assert export_file_name("我的模型") == "我的模型.onnx"
    assert export_file_name("水果：苹果/梨") == "水果：苹果_梨模型.onnx"
    set_language("en")
    assert export_file_name(tr("My gestures")) == "my-gestures-model.onnx"
    assert export_file_name(tr("My model")) == "my-model.onnx"
