"""A class's pupils: importing a roster file and adding, changing or removing one pupil.

The checks and the words for them live here, so that the teacher's window and the
``classroom roster`` command behave the same. A pupil's gender stays in the roster on
this PC (see :class:`classroom_app.core.store.Learner`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classroom_app.core.i18n import tr
from classroom_app.core.roster import (
    Roster,
    RosterError,
    RosterProblem,
    name_problem,
    normal_name,
    normal_number,
    number_problem,
    parse_roster,
)
from classroom_app.core.store import GENDERS, Learner, Store


@dataclass(frozen=True)
class RosterImport:
    """What importing a roster file did to a class."""

    added: int
    updated: int
    unchanged: int
    problems: tuple[RosterProblem, ...]

    def summary(self) -> str:
        return tr("{added} students added, {updated} updated, {unchanged} unchanged.").format(
            added=self.added, updated=self.updated, unchanged=self.unchanged)

    def report(self) -> str:
        """The summary and every skipped row, one a line."""
        lines = [self.summary()]
        if self.problems:
            lines.append(tr("{count} rows were skipped:").format(count=len(self.problems)))
            lines += [str(p) for p in self.problems]
        return "\n".join(lines)


def read_roster_file(path: Path) -> Roster:
    """Read and check the file (no database): safe to run off the GUI thread."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(tr("Cannot read {path}: {error}").format(
            path=path.name, error=error.strerror or error)) from None
    return parse_roster(data)


def apply_roster(store: Store, class_id: int, roster: Roster) -> RosterImport:
    """Add the roster's new pupils and update the names (and genders) of known ones."""
    known = {learner.student_number: learner for learner in store.learners(class_id)}
    added = updated = 0
    for row in roster.rows:
        before = known.get(row.number)
        if before is None:
            added += 1
        elif before.name != row.name or (row.gender is not None
                                         and before.gender != row.gender):
            updated += 1
    store.add_learners(class_id, [(r.number, r.name, r.gender) for r in roster.rows])
    return RosterImport(added, updated, len(roster.rows) - added - updated, roster.problems)


def pupil_problem(store: Store, class_id: int, number: str, name: str, gender: str,
                  editing: Learner | None = None) -> str | None:
    """Why this pupil cannot be saved in the class (``editing``: the one changed)."""
    problem = number_problem(number) or name_problem(name)
    if problem:
        return problem[0].upper() + problem[1:]
    if gender not in ("", *GENDERS):
        return tr("'{gender}' is not a gender (男 or 女).").format(gender=gender)
    for learner in store.learners(class_id):
        if learner.student_number == number and (editing is None or learner.id != editing.id):
            return tr("Student number {number} already belongs to {name}.").format(
                number=number, name=learner.name)
    return None


def save_pupil(store: Store, class_id: int, number: str, name: str, gender: str,
               editing: Learner | None = None) -> str | None:
    """Add the pupil (or change ``editing``); returns the problem instead, if any."""
    number, name = normal_number(number), normal_name(name)
    problem = pupil_problem(store, class_id, number, name, gender, editing)
    if problem:
        return problem
    if editing is None:
        store.add_learners(class_id, [(number, name, gender)])
    else:
        store.update_learner(editing.id, number, name, gender)
    return None


def find_pupil(store: Store, class_id: int, number: str) -> Learner | None:
    number = normal_number(number)
    return next((x for x in store.learners(class_id) if x.student_number == number), None)
