"""The class's progress on this PC: who did which lesson, quiz scores, and hours.

Hours are counted per school year (1 September to 31 August). A lesson counts at most
its planned length, however long a learner spent on it, whether in a class the teacher
presented (attendance), on their own, or both: time is evidence of a lesson attended,
not of a PC left on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from classroom_app.core.lessons.library import LessonLibrary
from classroom_app.core.store import Learner, Store

REQUIRED_HOURS = 8
DEFAULT_LESSON_MINUTES = 45


@dataclass(frozen=True)
class LessonStatus:
    lesson_id: str
    finished: bool
    quiz_correct: int = 0
    quiz_total: int = 0
    minutes: float = 0.0


@dataclass(frozen=True)
class LearnerProgress:
    learner: Learner
    lessons: dict[str, LessonStatus] = field(default_factory=dict)

    @property
    def hours(self) -> float:
        return sum(s.minutes for s in self.lessons.values()) / 60

    @property
    def finished_count(self) -> int:
        return sum(1 for s in self.lessons.values() if s.finished)


def school_year(today: date) -> tuple[str, str]:
    """ISO bounds [start, end) of the school year that contains ``today``."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return f"{start_year}-09-01", f"{start_year + 1}-09-01"


def class_progress(store: Store, library: LessonLibrary, class_id: int,
                   today: date) -> list[LearnerProgress]:
    start, end = school_year(today)
    learners = store.learners(class_id)
    seconds: dict[tuple[int, str], float] = defaultdict(float)
    finished: set[tuple[int, str]] = set()
    started: set[tuple[int, str]] = set()
    scores: dict[tuple[int, str], tuple[int, int]] = {}
    for row in store.student_attempts_with_scores(class_id, start, end):
        key = (row["learner_id"], row["lesson_id"])
        started.add(key)
        seconds[key] += row["seconds"]
        if row["finished"]:
            finished.add(key)
        if row["quiz_max"]:  # the latest attempt's quiz score stands
            scores[key] = (int(row["quiz_score"] or 0), int(row["quiz_max"]))
    for row in store.attendance_in(class_id, start, end):
        key = (row["learner_id"], row["lesson_id"])
        started.add(key)
        finished.add(key)
        seconds[key] += row["seconds"]
    report = []
    for learner in learners:
        statuses = {}
        for learner_id, lesson_id in sorted(started):
            if learner_id != learner.id:
                continue
            key = (learner_id, lesson_id)
            lesson = library.get(lesson_id)
            cap = lesson.minutes if lesson else DEFAULT_LESSON_MINUTES
            correct, total = scores.get(key, (0, 0))
            statuses[lesson_id] = LessonStatus(lesson_id, key in finished, correct, total,
                                               min(cap, seconds[key] / 60))
        report.append(LearnerProgress(learner, statuses))
    return report
