"""Who is using a demo, and where from: what a demo needs to save work and record it."""

from __future__ import annotations

from dataclasses import dataclass

from classroom_app.core.demo_catalog import DemoManifest
from classroom_app.core.lessons.model import Lesson, Step
from classroom_app.core.progress import Progress
from classroom_app.core.store import Attempt, ClassInfo, Learner


@dataclass(frozen=True)
class DemoSession:
    progress: Progress | None = None
    class_info: ClassInfo | None = None
    learner: Learner | None = None
    attempt: Attempt | None = None  # the learner's lesson attempt, when opened from a step
    lesson: Lesson | None = None
    step: Step | None = None
    manifest: DemoManifest | None = None  # the demo in use: its id and title are recorded

    def owner(self) -> str:
        """The folder name for this learner's saved work ("guest" when nobody signed in)."""
        if self.class_info and self.learner:
            return f"class{self.class_info.id}-{self.learner.student_number}"
        return "guest"

    def record_experiment(self, result: dict) -> None:
        """Record the learner's experiment result with this demo; nothing when nobody is
        signed in."""
        if self.progress is None or self.learner is None or self.manifest is None:
            return
        self.progress.record_experiment(self.learner.id, self.manifest.id, self.manifest.title,
                                        result, self.attempt, self.lesson, self.step)

    def stage(self) -> str | None:
        if self.lesson:
            return self.lesson.stage
        return self.class_info.stage if self.class_info else None
