"""Importing lesson packs from a folder or a .zip: good ones install, bad ones are
refused with a clear message and leave nothing behind."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from classroom_app.core import i18n, paths
from classroom_app.core.lessons.importing import PackImportError, import_pack

DEMOS = ["face_detection", "hand_tracking", "image_classification", "rock_paper_scissors",
         "teach_gestures", "teach_the_computer"]


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def renamed_copy(pack_copy, new_id: str = "my-lesson") -> Path:
    pack = pack_copy()
    toml = pack / "lesson.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'id = "p1-how-computers-see"', f'id = "{new_id}"', 1), encoding="utf-8")
    return pack


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, prefix + str(path.relative_to(folder)))
    return target


def test_import_from_a_folder(pack_copy, tmp_path: Path) -> None:
    lesson = import_pack(renamed_copy(pack_copy), tmp_path / "dest", DEMOS)
    assert lesson.id == "my-lesson"
    assert (tmp_path / "dest" / "my-lesson" / "lesson.toml").is_file()
    assert lesson.path == tmp_path / "dest" / "my-lesson"


def test_import_from_a_zip_with_a_top_folder(pack_copy, tmp_path: Path) -> None:
    archive = zip_folder(renamed_copy(pack_copy), tmp_path / "pack.zip", "my-lesson/")
    lesson = import_pack(archive, tmp_path / "dest", DEMOS)
    assert lesson.id == "my-lesson"
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == ["my-lesson"]


def test_path_traversal_in_a_zip_is_refused(pack_copy, tmp_path: Path) -> None:
    archive = zip_folder(renamed_copy(pack_copy), tmp_path / "evil.zip")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("../../escaped.txt", "gotcha")
    with pytest.raises(PackImportError, match="outside the pack"):
        import_pack(archive, tmp_path / "dest", DEMOS)
    assert not list(tmp_path.rglob("escaped.txt"))
    assert list((tmp_path / "dest").iterdir()) == []


def test_oversized_file_is_refused(pack_copy, tmp_path: Path) -> None:
    pack = renamed_copy(pack_copy)
    (pack / "images" / "huge.png").write_bytes(b"\0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(PackImportError, match="larger than 5 MB"):
        import_pack(pack, tmp_path / "dest", DEMOS)
    archive = zip_folder(pack, tmp_path / "big.zip")
    with pytest.raises(PackImportError, match="larger than 5 MB"):
        import_pack(archive, tmp_path / "dest", DEMOS)


def test_text_that_is_not_utf8_is_refused_with_the_file(pack_copy, tmp_path: Path) -> None:
    pack = renamed_copy(pack_copy)
    (pack / "zh_CN" / "intro.md").write_bytes("导入：计算机".encode("gbk"))
    with pytest.raises(PackImportError) as error:
        import_pack(pack, tmp_path / "dest", DEMOS)
    assert "UTF-8" in str(error.value) and "intro.md" in str(error.value)
    assert list((tmp_path / "dest").iterdir()) == []


def test_a_shipped_lesson_id_cannot_be_overwritten(pack_copy, tmp_path: Path) -> None:
    with pytest.raises(PackImportError, match="ships with the app"):
        import_pack(pack_copy(), tmp_path / "dest", DEMOS, taken_ids=["p1-how-computers-see"])


def test_reimport_needs_replace(pack_copy, tmp_path: Path) -> None:
    pack = renamed_copy(pack_copy)
    import_pack(pack, tmp_path / "dest", DEMOS)
    with pytest.raises(PackImportError, match="already imported"):
        import_pack(pack, tmp_path / "dest", DEMOS)
    assert import_pack(pack, tmp_path / "dest", DEMOS, replace=True).id == "my-lesson"


def test_links_and_damaged_zips_are_refused(pack_copy, tmp_path: Path) -> None:
    pack = renamed_copy(pack_copy)
    os.symlink("/etc/passwd", pack / "images" / "passwd")
    with pytest.raises(PackImportError, match="link"):
        import_pack(pack, tmp_path / "dest", DEMOS)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(PackImportError, match="zip"):
        import_pack(damaged, tmp_path / "dest", DEMOS)


def test_something_that_is_not_a_pack_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(PackImportError, match="lesson.toml"):
        import_pack(tmp_path / "notes", tmp_path / "dest", DEMOS)


def test_context_import_makes_the_lesson_available(ctx, pack_copy) -> None:
    lesson = ctx.import_lesson(renamed_copy(pack_copy, "extra-lesson"))
    assert ctx.library.get("extra-lesson") is not None
    assert lesson.path.parent == paths.imported_lessons_dir()
    shutil.rmtree(lesson.path)


def test_replacing_keeps_one_clean_copy(pack_copy, tmp_path: Path) -> None:
    pack = renamed_copy(pack_copy)
    import_pack(pack, tmp_path / "dest", DEMOS)
    (pack / "en" / "extra.txt").write_text("new", encoding="utf-8")
    import_pack(pack, tmp_path / "dest", DEMOS, replace=True)
    assert [p.name for p in (tmp_path / "dest").iterdir()] == ["my-lesson"]
    assert (tmp_path / "dest" / "my-lesson" / "en" / "extra.txt").read_text() == "new"
    assert not list((tmp_path / "dest" / "my-lesson").glob(".*"))
