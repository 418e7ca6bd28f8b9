"""All lesson packs the app can offer: the shipped ones and those a teacher imported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classroom_app.core.lessons.model import STAGES, Lesson
from classroom_app.core.lessons.pack import (
    METADATA,
    KnownDemos,
    PackResult,
    known_demos_of,
    load_pack,
)


@dataclass(frozen=True)
class LessonLibrary:
    lessons: tuple[Lesson, ...]
    broken: tuple[PackResult, ...]

    def by_stage(self, stage: str) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.stage == stage]

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


def pack_folders(root: Path) -> list[Path]:
    """Sub-folders of ``root`` that hold a lesson.toml, sorted by name."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / METADATA).exists()
                  and not p.name.startswith("."))


def load_library(shipped_dir: Path, imported_dir: Path | None,
                 known_demos: KnownDemos | None) -> LessonLibrary:
    """Load every pack; a broken one is kept aside with its problems, never raised."""
    demos = known_demos_of(known_demos)
    lessons: list[Lesson] = []
    broken: list[PackResult] = []
    seen: set[str] = set()
    sources = [(shipped_dir, True)] + ([(imported_dir, False)] if imported_dir else [])
    for root, shipped in sources:
        for folder in pack_folders(root):
            result = load_pack(folder, demos, shipped=shipped)
            if result.lesson is None:
                broken.append(result)
            elif result.lesson.id not in seen:
                seen.add(result.lesson.id)
                lessons.append(result.lesson)
    lessons.sort(key=lambda lesson: (STAGES.index(lesson.stage), lesson.id))
    return LessonLibrary(tuple(lessons), tuple(broken))
