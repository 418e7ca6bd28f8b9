"""A class's evaluation as files a teacher opens in Excel or WPS.

The class table has one row per learner: the figures the teacher confirms, with levels in
words rather than codes, so it can go into the school's own records as it is. The
evidence table lists every piece of evidence behind those levels with the id of the
statement it comes from, so any figure can be traced back to what was recorded (and
checked against the class hub). The summary sheet gives the figures a head of year asks
for: how many reached the required class periods and how the class spreads over the levels.
The sentences of the parent's page (what each level means for a child, the class periods in
words) are here too: plain text, which needs no Qt and is tested without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from classroom_app.core.evaluation.class_report import ClassReport
from classroom_app.core.evaluation.periods import local_date
from classroom_app.core.evaluation.standing import (
    REQUIRED_PERIODS,
    AspectStanding,
    Evidence,
    LearnerEvaluation,
)
from classroom_app.core.evaluation.tables import Cell, Table, write_csv, write_xlsx
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import ASPECTS, LEVELS, aspect_name, level_name
from classroom_app.core.store import Learner

# xAPI language maps use BCP 47 tags; the app's catalogue uses its own language names.
_XAPI_LANGUAGES = {"zh-CN": "zh_CN", "en-US": "en", "en": "en", "zh_CN": "zh_CN"}


def lesson_text(names: Mapping[str, str], fallback: str = "") -> str:
    """An activity's name from a statement (``{"zh-CN": .., "en-US": ..}``) in the
    current language, another language if that one is missing, else ``fallback``."""
    texts = {_XAPI_LANGUAGES.get(key, key): text for key, text in names.items() if text}
    return pick(texts) or next(iter(texts.values()), "") or fallback


def list_separator() -> str:
    """Between items of a list in one cell or sentence ("；" in Chinese)."""
    return tr("; ")


def yes_no(value: bool) -> str:
    return tr("Yes") if value else tr("No")


def level_words(level: int) -> str:
    """0 → not yet shown; 1–3 → understand, apply, create."""
    return level_name(LEVELS[level - 1]) if 1 <= level <= len(LEVELS) else tr("Not yet shown")


def standing_words(standing: AspectStanding) -> str:
    """The level that stands, marked when it is the teacher's rating."""
    words = level_words(standing.level)
    return tr("{level} (teacher)").format(level=words) if standing.rated is not None else words


def level_meaning(aspect: str, level: int) -> str:
    """What ``level`` (0 none yet, 1 understand, 2 apply, 3 create) in ``aspect`` means
    for a child, in words a parent reads without knowing the framework."""
    meanings = {
        "human-centred-mindset": (
            tr("Not enough work yet to show how your child thinks about people and AI; "
               "it will show as the lessons go on."),
            tr("Knows that people make AI and decide how it is used, and that people stay "
               "in charge."),
            tr("Thinks about whom an AI tool helps and whom it may leave out, and chooses "
               "when to rely on it."),
            tr("Suggests ways an AI tool could serve people better, including those it may "
               "leave out.")),
        "ethics-of-ai": (
            tr("Not enough work yet to show how your child thinks about using AI fairly "
               "and safely; it will show as the lessons go on."),
            tr("Knows that AI can be wrong or unfair, and that personal data such as photos "
               "must be protected."),
            tr("Uses AI tools responsibly: protects privacy, checks results and notices "
               "when something is unfair."),
            tr("Explains rules for using AI fairly and safely, and helps others follow "
               "them.")),
        "ai-techniques-and-applications": (
            tr("Not enough work yet to show what your child knows about how AI works; it "
               "will show as the lessons go on."),
            tr("Knows that AI learns from examples (data) and can name uses of AI in "
               "everyday life."),
            tr("Uses AI tools for a task, such as training a model on pictures, and tells "
               "whether it works well."),
            tr("Combines AI tools and data in new ways to solve a problem of their own.")),
        "ai-system-design": (
            tr("Not enough work yet to show how your child plans an AI system; it will "
               "show as the lessons go on."),
            tr("Knows that an AI system is made in steps: choose a problem, collect data, "
               "train and test."),
            tr("Has built and tested a simple AI model, choosing the examples and checking "
               "how well it works."),
            tr("Designs, builds and improves a small AI system for a real need, and "
               "explains the choices made.")),
    }
    return meanings[aspect][level]


def short_name(name: str, most: int = 12) -> str:
    """A name short enough for a sentence (the band above shows it as far as it fits)."""
    return name if len(name) <= most else name[:most - 1] + "…"


def periods_of_required(periods: float) -> str:
    """"3.5 / 8 课时": a learner's class periods this school year against the requirement."""
    return tr("{periods:.1f} of {required} class periods").format(periods=periods,
                                                                 required=REQUIRED_PERIODS)


def periods_sentence(learner: Learner, evaluation: LearnerEvaluation) -> str:
    """The class periods in words: reached, or how many are still needed; and the term's."""
    periods = f"{evaluation.year_periods:.1f}"
    if evaluation.reached:
        text = tr("{name} has had {periods} class periods of AI this school year and has met "
                  "the requirement of {required}.")
    else:
        text = tr("{name} has had {periods} class periods of AI this school year; {left} more "
                  "are needed to meet the requirement of {required}.")
    text = text.format(name=short_name(learner.name), periods=periods, required=REQUIRED_PERIODS,
                       left=f"{REQUIRED_PERIODS - evaluation.year_periods:.1f}")
    if evaluation.period.term != "year":
        text += tr(" Of these, {periods} were in {period}.").format(
            periods=f"{evaluation.periods:.1f}", period=evaluation.period.label())
    return text


def reached_header() -> str:
    return tr("Reached {required} class periods").format(required=REQUIRED_PERIODS)


def periods_cell(periods: float) -> float:
    return round(periods, 2)


def class_table(report: ClassReport) -> Table:
    """One row per learner, in roster order."""
    header = [tr("Student number"), tr("Name"),
              tr("Class periods in {period}").format(period=report.period.label()),
              tr("Class periods this school year"),
              reached_header(), tr("Lessons done"),
              *(aspect_name(a) for a in ASPECTS), tr("Teacher's comment")]
    rows: list[list[Cell]] = []
    for learner, evaluation in report.rows:
        rows.append([learner.student_number, learner.name, periods_cell(evaluation.periods),
                     periods_cell(evaluation.year_periods), yes_no(evaluation.reached),
                     evaluation.lessons_done,
                     *(standing_words(evaluation.aspects[a]) for a in ASPECTS),
                     evaluation.comment])
    widths = [14, 12, 16, 16, 12, 12, *([22] * len(ASPECTS)), 50]
    return Table(tr("Class evaluation"), header, rows, widths)


def kind_words(kind: str) -> str:
    names = {"quiz": tr("Quiz"), "reflection": tr("Reflection"),
             "experiment": tr("Experiment"), "rating": tr("Teacher's rating")}
    return names.get(kind, kind)


def tag_words(tags: tuple[str, ...]) -> str:
    """``ethics-of-ai:apply`` → "Ethics of AI: Apply", several joined."""
    words = []
    for tag in tags:
        aspect, _, level = tag.partition(":")
        words.append(tr("{aspect}: {level}").format(aspect=aspect_name(aspect),
                                                    level=level_name(level)))
    return list_separator().join(words)


def result_words(item: Evidence) -> str:
    """What the learner showed: a score, their reflection, a model's accuracy, a rating."""
    if item.kind == "quiz":
        return f"{item.value:.0%}" if item.value is not None else ""
    if item.kind == "reflection":
        return item.response.strip()
    if item.kind == "experiment":
        if item.value is None or item.classes < 2:
            return tr("Took part")
        return tr("{accuracy} test accuracy, {classes} classes").format(
            accuracy=f"{item.value:.0%}", classes=item.classes)
    if item.kind == "rating":
        return level_words(int(item.value or 0))
    return ""


def activity_words(item: Evidence, lessons: Mapping[str, str]) -> str:
    """The step's name after its lesson's ("How computers see · Quiz"): a step name alone
    ("Quiz") does not say which lesson it was in."""
    step = lesson_text(item.name, item.step or item.lesson)
    lesson = lessons.get(item.lesson, "")
    return tr("{lesson} · {step}").format(lesson=lesson, step=step) if lesson else step


def evidence_row(learner: Learner, item: Evidence, lessons: Mapping[str, str]) -> list[Cell]:
    return [learner.student_number, learner.name, local_date(item.when).isoformat(),
            kind_words(item.kind), activity_words(item, lessons), tag_words(item.tags),
            result_words(item), yes_no(item.shown), item.statement]


def evidence_table(report: ClassReport) -> Table:
    """Every piece of evidence per learner, oldest first, with its statement id."""
    header = [tr("Student number"), tr("Name"), tr("Date"), tr("Kind"), tr("Activity"),
              tr("Competencies"), tr("Result"), tr("Counts as evidence"), tr("Statement id")]
    rows = []
    for learner, evaluation in report.rows:
        lessons = {time.lesson: lesson_text(time.name) for time in evaluation.lessons}
        rows += [evidence_row(learner, item, lessons) for item in evaluation.evidence]
    return Table(tr("Evidence"), header, rows, [14, 12, 12, 12, 28, 40, 40, 12, 38])


def confirmation_words(report: ClassReport) -> str:
    """Who confirmed the figures and when, or why they are not confirmed."""
    confirmation = report.confirmation
    if confirmation is None:
        return tr("Not yet confirmed by the teacher: the figures may still change.")
    day = local_date_of(confirmation.when)
    if not report.confirmed:
        return tr("Not yet confirmed by the teacher: the figures changed after the last "
                  "confirmation on {date}.").format(date=day)
    return tr("Confirmed by {teacher} on {date}.").format(teacher=confirmation.teacher,
                                                          date=day)


def local_date_of(timestamp: str) -> str:
    """An xAPI timestamp's day in China Standard Time (``2026-01-10``)."""
    return local_date(datetime.fromisoformat(timestamp.replace("Z", "+00:00"))).isoformat()


def summary_table(report: ClassReport) -> Table:
    """The level distribution per aspect, then the class's headline figures."""
    header = [tr("Competency aspect"), *(level_words(level) for level in range(len(LEVELS) + 1))]
    rows: list[list[Cell]] = [[aspect_name(a), *report.level_counts(a)] for a in ASPECTS]
    info = report.info
    rows += [[],
             [tr("Class"), info.name],
             [tr("Period"), report.period.label()],
             [tr("Students"), len(report.rows)],
             [reached_header(), report.reached],
             [tr("Confirmation"), confirmation_words(report)]]
    return Table(tr("Summary"), header, rows, [34, 14, 14, 14, 14])


def export_class_csv(report: ClassReport, path: Path) -> None:
    """The class table as CSV (UTF-8 with BOM, so Excel and WPS keep Chinese names)."""
    write_csv(Path(path), class_table(report))


def export_class_xlsx(report: ClassReport, path: Path) -> None:
    """The class table, the evidence and the summary as three sheets of one workbook."""
    write_xlsx(Path(path), [class_table(report), evidence_table(report), summary_table(report)])
