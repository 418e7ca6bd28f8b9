"""Everything a front end (the GUI or the CLI) needs, built once and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from classroom_app.core import i18n, paths, school_address, settings
from classroom_app.core.demo_catalog import DemoCatalog, load_catalog
from classroom_app.core.lessons.importing import import_pack
from classroom_app.core.lessons.library import LessonLibrary, load_library
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.progress import Progress
from classroom_app.core.store import Store


@dataclass
class AppContext:
    store: Store
    demos: DemoCatalog
    library: LessonLibrary
    settings: settings.Settings
    progress: Progress = field(init=False)

    def __post_init__(self) -> None:
        # Statements name learners by the school's home page as it is when written.
        self.progress = Progress(self.store, self.home_page)

    def home_page(self) -> str:
        """The home page new records carry (a marker until the school sets its own)."""
        return school_address.record_address(self.settings.school_home_page)

    def save_school(self, name: str, address: str) -> str:
        """Save the school's name and web address (ValueError saying why, for one that
        cannot be); new records carry it from now on. Returns the address saved."""
        problem = school_address.problem_with(address)
        if problem:
            raise ValueError(problem)
        address = address.strip()
        self.update_settings(school_name=name.strip(), school_home_page=address)
        return address

    def set_school(self, name: str, address: str) -> int:
        """Save the school, and give its address to every record that never left this
        PC (the GUI does this part on a worker). Returns how many were re-addressed."""
        return school_address.readdress(self.store, self.save_school(name, address))

    def reload_lessons(self) -> None:
        self.library = load_library(paths.shipped_lessons_dir(), paths.imported_lessons_dir(),
                                    self.demos.known())

    def update_settings(self, **changes: object) -> None:
        self.settings = self.settings.with_changes(**changes)
        settings.save(self.store, self.settings)
        i18n.set_language(self.settings.language)

    def import_lesson(self, source: Path, replace: bool = False) -> Lesson:
        shipped = {lesson.id for lesson in self.library.lessons if lesson.shipped}
        lesson = import_pack(source, paths.imported_lessons_dir(), self.demos.known(),
                             shipped, replace)
        self.reload_lessons()
        return lesson

    def close(self) -> None:
        self.store.close()


def open_context(language: str | None = None) -> AppContext:
    """Open the store in the data directory and load settings, demos and lessons."""
    store = Store(paths.database_path())
    current = settings.load(store)
    if language:
        current = current.with_changes(language=language)
    i18n.set_language(current.language)
    demos = load_catalog()
    library = load_library(paths.shipped_lessons_dir(), paths.imported_lessons_dir(), demos.known())
    return AppContext(store, demos, library, current)
