"""Recording what learners do in a lesson.

Every operation writes the progress row(s) and the xAPI statement(s) that record them
in one transaction, before the UI shows the result: a process killed at any moment
loses at most the step in progress, never one shown as done.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from classroom_app.core import xapi
from classroom_app.core.lessons.model import Lesson, Step
from classroom_app.core.store import Attempt, Store


@dataclass(frozen=True)
class QuizScore:
    correct: int
    total: int


class Progress:
    def __init__(self, store: Store, home_page: Callable[[], str]) -> None:
        self.store = store
        self.home_page = home_page

    # -- attempts ------------------------------------------------------------------
    def open_attempt(self, lesson: Lesson, class_id: int, learner_id: int) -> Attempt:
        """The learner's unfinished attempt at ``lesson``, or a new one (resume)."""
        open_ = self.store.unfinished_attempts(learner_id, lesson.id)
        if open_:
            return open_[-1]
        attempt = Attempt(str(uuid.uuid4()), lesson.id, class_id, learner_id, "student",
                          xapi.now_timestamp(), None, 0, 0.0)
        with self.store.transaction():
            self.store.insert_attempt(attempt)
            self._emit(attempt, lesson, "attempted", xapi.lesson_activity(lesson), parent=False)
        return attempt

    def open_class_session(self, lesson: Lesson, class_id: int) -> Attempt:
        """A teacher presenting ``lesson`` to the whole class (attendance comes at the end)."""
        attempt = Attempt(str(uuid.uuid4()), lesson.id, class_id, None, "class",
                          xapi.now_timestamp(), None, 0, 0.0)
        with self.store.transaction():
            self.store.insert_attempt(attempt)
        return attempt

    def reload(self, attempt: Attempt) -> Attempt:
        return self.store.get_attempt(attempt.id)

    def move_to(self, attempt: Attempt, index: int, seconds_spent: float) -> None:
        """The learner moved to step ``index`` after ``seconds_spent`` on the last one."""
        with self.store.transaction():
            self.store.update_attempt(attempt.id, current_step=index)
            self.store.add_attempt_seconds(attempt.id, max(0.0, seconds_spent))

    def completed_steps(self, attempt: Attempt) -> set[str]:
        return set(self.store.step_results(attempt.id))

    # -- events ------------------------------------------------------------------------
    def record_answer(self, attempt: Attempt, lesson: Lesson, step: Step, index: int,
                      chosen: frozenset[int]) -> bool:
        question = step.questions[index]
        correct = question.is_correct(chosen)
        if attempt.mode != "student":
            return correct
        with self.store.transaction():
            self.store.upsert_answer(attempt.id, step.id, index, json.dumps(sorted(chosen)),
                                     correct, xapi.now_timestamp())
            result = {"success": correct, "response": xapi.response_text(question, chosen)}
            self._emit(attempt, lesson, "answered",
                       xapi.question_activity(lesson, step, index), result=result, step=step)
        return correct

    def answers(self, attempt: Attempt, step: Step) -> dict[int, frozenset[int]]:
        return {q: frozenset(json.loads(row["response"]))
                for q, row in self.store.answers(attempt.id, step.id).items()}

    def response(self, attempt: Attempt, step: Step) -> str:
        """What the learner wrote for ``step`` (a reflection), or ""."""
        return self.store.step_results(attempt.id).get(step.id, {}).get("response") or ""

    def quiz_score(self, attempt: Attempt, step: Step) -> QuizScore:
        rows = self.store.answers(attempt.id, step.id)
        return QuizScore(sum(1 for r in rows.values() if r["correct"]), len(step.questions))

    def complete_step(self, attempt: Attempt, lesson: Lesson, step: Step, seconds: float,
                      response: str | None = None) -> None:
        """Mark ``step`` done (with the reflection text, if any) and record it."""
        score = max_score = None
        result: dict = {"completion": True, "duration": xapi.duration(seconds)}
        if step.kind.scored and attempt.mode == "student":
            quiz = self.quiz_score(attempt, step)
            score, max_score = float(quiz.correct), float(quiz.total)
            result["score"] = {"raw": quiz.correct, "min": 0, "max": quiz.total,
                               "scaled": round(quiz.correct / quiz.total, 4) if quiz.total else 0}
        if response is not None:
            result["response"] = response
        with self.store.transaction():
            self.store.upsert_step_result(attempt.id, step.id, xapi.now_timestamp(), seconds,
                                          score, max_score, response)
            if attempt.mode == "student":
                self._emit(attempt, lesson, step.kind.verb, xapi.step_activity(lesson, step),
                           result=result, step=step)

    def finish_lesson(self, attempt: Attempt, lesson: Lesson) -> None:
        attempt = self.reload(attempt)
        with self.store.transaction():
            self.store.update_attempt(attempt.id, finished=xapi.now_timestamp())
            if attempt.mode == "student":
                result = {"completion": True, "duration": xapi.duration(attempt.seconds)}
                self._emit(attempt, lesson, "completed", xapi.lesson_activity(lesson),
                           result=result, parent=False)

    def record_attendance(self, attempt: Attempt, lesson: Lesson, learner_ids: Iterable[int],
                          seconds: float) -> None:
        """The class session is over: these learners attended for ``seconds`` and did the
        steps the class did (which is what the lesson's class periods are credited by)."""
        completed = self.completed_steps(attempt)
        done = [step.id for step in lesson.steps if step.id in completed]
        result = {"duration": xapi.duration(seconds),
                  "extensions": {xapi.STEPS_DONE_EXTENSION: done}}
        with self.store.transaction():
            self.store.update_attempt(attempt.id, finished=xapi.now_timestamp(), seconds=seconds)
            for learner_id in learner_ids:
                self.store.insert_attendance(attempt.id, learner_id, seconds, xapi.now_timestamp())
                self._emit(attempt, lesson, "attended", xapi.lesson_activity(lesson),
                           result=result, parent=False, learner_id=learner_id)

    def record_experiment(self, learner_id: int, demo_id: str, title: dict[str, str],
                          result: dict, attempt: Attempt | None = None,
                          lesson: Lesson | None = None, step: Step | None = None) -> str | None:
        """A learner's experiment result (e.g. a trained model); the statement id.

        Inside a lesson the statement names the lesson step as its parent and the
        attempt as its registration; from the demo shelf it stands alone.
        """
        learner = self.store.get_learner(learner_id)
        if learner is None:
            return None
        parent = xapi.step_activity(lesson, step)["id"] if lesson and step else None
        tags = xapi.step_competencies(lesson, step) if lesson else ()
        registration = attempt.id if attempt else str(uuid.uuid4())
        info = self.store.get_class(learner.class_id)
        stage = lesson.stage if lesson else (info.stage if info else None)
        statement = xapi.make_statement(
            xapi.actor(self.home_page(), learner.student_number), "completed",
            xapi.experiment_activity(demo_id, title),
            xapi.demo_context(registration, stage, parent, tags, self._team(learner.class_id)),
            result)
        with self.store.transaction():
            self.store.append_statement(statement.id, statement.text, statement.timestamp)
        return statement.id

    def _team(self, class_id: int) -> dict | None:
        info = self.store.get_class(class_id)
        return xapi.team(self.home_page(), info.name) if info else None

    def _emit(self, attempt: Attempt, lesson: Lesson, verb: str, obj: dict,
              result: dict | None = None, parent: bool = True,
              learner_id: int | None = None, step: Step | None = None) -> None:
        learner = self.store.get_learner(learner_id or attempt.learner_id or 0)
        if learner is None:
            return
        statement = xapi.make_statement(
            xapi.actor(self.home_page(), learner.student_number), verb, obj,
            xapi.context(lesson, attempt.id, parent, step, self._team(attempt.class_id)),
            result)
        self.store.append_statement(statement.id, statement.text, statement.timestamp)
