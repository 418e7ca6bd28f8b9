"""Loading a lesson pack from its folder, reporting every problem with file and line.

A pack with any problem is refused whole: the app shows the same messages that
``classroom lessons validate`` prints, and keeps running with the other packs.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from classroom_app.core.demo_params import ParamSpec, problem
from classroom_app.core.i18n import LANGUAGES, tr
from classroom_app.core.lessons.locate import TomlLocator
from classroom_app.core.lessons.model import (
    ASPECTS,
    LEVELS,
    MAX_PERIODS,
    PERIOD_MINUTES,
    QUESTION_KINDS,
    STAGE_GRADES,
    STAGES,
    STEP_KINDS,
    Lesson,
    Question,
    Step,
    is_per_language,
)

# The demos a pack may name: by id, or by id with the parameters each declares.
KnownDemos = Iterable[str] | Mapping[str, Mapping[str, ParamSpec]]
METADATA = "lesson.toml"
TEACHER_NOTES = "teacher-notes"  # zh_CN/teacher-notes.md, en/teacher-notes.md
PERIOD_SLACK_MINUTES = 5
# The longest a lesson (or one of its steps) may be: its most class periods, of the
# longest kind. A larger number is a mistake, or a pack made to break the sums.
MAX_MINUTES = MAX_PERIODS * max(PERIOD_MINUTES.values())
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PACK_BYTES = 20 * 1024 * 1024
# A recorded dual-teacher session travels in recordings/<name>/: its video is large.
RECORDINGS = "recordings"
MAX_RECORDING_FILE_BYTES = 1024 * 1024 * 1024
MAX_RECORDINGS_BYTES = 2 * 1024 * 1024 * 1024


def file_limit(relative: str) -> int:
    """The largest a file at ``relative`` (in the pack) may be."""
    in_recordings = relative.replace("\\", "/").split("/", 1)[0] == RECORDINGS
    return MAX_RECORDING_FILE_BYTES if in_recordings else MAX_FILE_BYTES
TEXT_SUFFIXES = (".toml", ".md", ".txt", ".svg", ".csv", ".json", ".jsonl")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_IMAGE_HTML = re.compile(r"<img[^>]*\ssrc=[\"']([^\"']+)[\"']", re.IGNORECASE)
# Reference-style pictures: ![alt][label], ![label][] and ![label], with the path on a
# line of its own, "[label]: path" (CommonMark: labels match whatever their case).
_IMAGE_REF = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\]|(?![(\[]))")
_REF_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?")
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PackResult:
    path: Path
    lesson: Lesson | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.lesson is not None and not self.problems


# Openings that praise the answer: an explanation is also read by those who got it wrong.
PRAISE = ("对！", "对!", "对，", "答对", "没错", "正确！", "Right!", "Right,", "Yes!", "Correct",
          "Exactly", "That's right")


class _Checker:
    """Collects problems while reading one pack."""

    def __init__(self, root: Path, known_demos: KnownDemos | None) -> None:
        self.root = root
        self.known_demos = known_demos_of(known_demos)
        self.problems: list[Problem] = []
        self.locator = TomlLocator("")

    def add(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.root / file, line, message))

    def at(self, message: str, key: str | None = None, step: int | None = None,
           question: int | None = None) -> None:
        self.add(METADATA, self.locator.line(key, step, question), message)

    # -- reading -------------------------------------------------------------------
    def read_text(self, relative: str) -> str | None:
        path = self.root / relative
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.add(relative, None, tr("File is missing."))
            return None
        except OSError as error:
            self.add(relative, None, tr("Cannot read the file: {error}").format(error=error))
            return None
        if len(data) > MAX_FILE_BYTES:
            self.add(relative, None, tr("File is larger than 5 MB."))
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.add(relative, line, tr("Text is not UTF-8. Save the file as UTF-8."))
            return None

    def texts(self, data: dict, key: str, step: int | None = None,
              question: int | None = None) -> dict[str, str]:
        """A ``{zh_CN: ..., en: ...}`` value, each language present and non-empty."""
        value = data.get(key)
        if not isinstance(value, dict):
            self.at(tr("'{key}' must give the text in zh_CN and en.").format(key=key),
                    key, step, question)
            return {}
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.at(tr("Missing translation: '{key}' has no {lang} text.")
                        .format(key=key, lang=lang), key, step, question)
        return {k: v for k, v in value.items() if isinstance(v, str)}

    def text_lists(self, data: dict, key: str, step: int | None = None,
                   question: int | None = None) -> dict[str, tuple[str, ...]]:
        value = data.get(key)
        if not isinstance(value, dict):
            self.at(tr("'{key}' must give a list in zh_CN and en.").format(key=key),
                    key, step, question)
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for lang in LANGUAGES:
            items = value.get(lang)
            if not isinstance(items, list) or not items or not all(
                isinstance(i, str) and i.strip() for i in items
            ):
                self.at(tr("Missing translation: '{key}' has no {lang} list.")
                        .format(key=key, lang=lang), key, step, question)
                continue
            result[lang] = tuple(items)
        if len(result) == len(LANGUAGES) and len({len(v) for v in result.values()}) > 1:
            self.at(tr("'{key}' has a different number of items in each language.")
                    .format(key=key), key, step, question)
        return result

    def competencies(self, data: dict, step: int | None = None) -> tuple[str, ...]:
        tags = data.get("competencies", [])
        if not isinstance(tags, list):
            self.at(tr("'competencies' must be a list."), "competencies", step)
            return ()
        for tag in tags:
            aspect, _, level = str(tag).partition(":")
            if aspect not in ASPECTS or level not in LEVELS:
                self.at(tr("Unknown competency tag '{tag}' (expected ASPECT:LEVEL).")
                        .format(tag=tag), "competencies", step)
        return tuple(str(t) for t in tags)

    def markdown(self, step_id: str, index: int) -> dict[str, str]:
        texts = {}
        for lang in LANGUAGES:
            relative = f"{lang}/{step_id}.md"
            if not (self.root / relative).exists():
                self.at(tr("Missing translation: step '{step}' has no {file}.")
                        .format(step=step_id, file=relative), "id", index)
                continue
            text = self.read_text(relative)
            if text is not None:
                self.check_pictures(relative, text)
                texts[lang] = text
        return texts

    def teacher_notes(self) -> dict[str, str]:
        """The teacher's notes (optional): when there are any, in every language."""
        present = [lang for lang in LANGUAGES
                   if (self.root / f"{lang}/{TEACHER_NOTES}.md").is_file()]
        texts = {}
        for lang in LANGUAGES:
            relative = f"{lang}/{TEACHER_NOTES}.md"
            if present and lang not in present:
                self.add(relative, None, tr("Missing translation: the teacher notes have no "
                                            "{lang} text.").format(lang=lang))
            elif present:
                text = self.read_text(relative)
                if text is not None:
                    self.check_pictures(relative, text)
                    texts[lang] = text
        return texts

    def check_pictures(self, relative: str, text: str) -> None:
        """Every picture, inline or by reference, is a file inside the pack: a path
        elsewhere on the PC (absolute, with '..', a file: address) is refused."""
        lines = text.splitlines()
        definitions: dict[str, tuple[int, str]] = {}
        for number, line in enumerate(lines, start=1):
            found = _REF_DEFINITION.match(line)
            if found:
                definitions.setdefault(_label(found.group(1)), (number, found.group(2)))
        used: set[str] = set()
        for number, line in enumerate(lines, start=1):
            for match in [*_IMAGE_MD.finditer(line), *_IMAGE_HTML.finditer(line)]:
                self.check_picture(relative, number, match.group(1))
            for match in _IMAGE_REF.finditer(line):
                used.add(_label(match.group(2) or match.group(1)))
        for label in sorted(used):
            if label in definitions:
                self.check_picture(relative, *definitions[label])

    def check_picture(self, relative: str, number: int, target: str) -> None:
        if _URL_SCHEME.match(target):
            self.add(relative, number, tr("Picture '{picture}' is not a file in the "
                     "pack (lessons must work offline).").format(picture=target))
            return
        resolved = ((self.root / relative).parent / target).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            self.add(relative, number, tr("Picture '{picture}' lies outside the pack.")
                     .format(picture=target))
        elif not resolved.is_file():
            self.add(relative, number, tr("Missing picture '{picture}'.")
                     .format(picture=target))

    # -- structure -----------------------------------------------------------------
    def question(self, data: object, step: int, index: int) -> Question | None:
        if not isinstance(data, dict):
            self.at(tr("A question must be a table."), None, step, index)
            return None
        kind = data.get("kind")
        if kind not in QUESTION_KINDS:
            self.at(tr("Unknown question kind '{kind}' (single, multiple or truefalse).")
                    .format(kind=kind), "kind", step, index)
            return None
        prompt = self.texts(data, "prompt", step, index)
        explanation = self.texts(data, "explanation", step, index)
        if any(text.lstrip().startswith(PRAISE) for text in explanation.values()):
            self.at(tr("The explanation is shown after a wrong answer too: do not open it "
                       "with praise such as '对！' or 'Right!'."), "explanation", step, index)
        answer = data.get("answer")
        options: dict[str, tuple[str, ...]] = {}
        if kind == "truefalse":
            if not isinstance(answer, bool):
                self.at(tr("The question has no correct answer (answer = true or false)."),
                        "answer", step, index)
                return None
            correct = frozenset({0 if answer else 1})
        else:
            options = self.text_lists(data, "options", step, index)
            count = min((len(v) for v in options.values()), default=0)
            if count and count < 2:
                self.at(tr("A question needs at least two options."), "options", step, index)
            if not isinstance(answer, list) or not answer:
                self.at(tr("The question has no correct answer (answer = [index, ...])."),
                        "answer", step, index)
                return None
            if not all(isinstance(a, int) and not isinstance(a, bool) and 0 <= a < count
                       for a in answer):
                self.at(tr("The answer names an option that does not exist (options count "
                           "from 0)."), "answer", step, index)
                return None
            if kind == "single" and len(set(answer)) != 1:
                self.at(tr("A single-choice question must have exactly one correct answer."),
                        "answer", step, index)
                return None
            correct = frozenset(answer)
        return Question(kind, prompt, options, correct, explanation)

    def step(self, data: object, index: int, seen: set[str]) -> Step | None:
        if not isinstance(data, dict):
            self.at(tr("A step must be a table."), None, index)
            return None
        step_id = data.get("id")
        if not isinstance(step_id, str) or not ID_PATTERN.match(step_id):
            self.at(tr("Step needs an 'id' of lowercase letters, digits and '-'."), "id", index)
            return None
        if step_id in seen:
            self.at(tr("Step id '{step}' is used twice.").format(step=step_id), "id", index)
        seen.add(step_id)
        name = data.get("type")
        kind = STEP_KINDS.get(name) if isinstance(name, str) else None
        if kind is None:
            self.at(tr("Unknown step type '{type}' (one of: {types}).")
                    .format(type=name, types=", ".join(STEP_KINDS)), "type", index)
            return None
        minutes = data.get("minutes")
        if not _whole_minutes(minutes):
            self.at(tr("Step '{step}' needs 'minutes', a whole number from 1 to {most}.")
                    .format(step=step_id, most=MAX_MINUTES), "minutes", index)
            minutes = 0
        title = self.texts(data, "title", index)
        competencies = self.competencies(data, index)
        markdown = self.markdown(step_id, index) if kind.has_markdown else {}
        demo = data.get("demo")
        if kind.needs_demo:
            if not isinstance(demo, str):
                self.at(tr("A demo step needs 'demo', the id of a demo."), "type", index)
            elif self.known_demos is not None and demo not in self.known_demos:
                self.at(tr("Unknown demo '{demo}': it is not in the demo catalog.")
                        .format(demo=demo), "demo", index)
        questions: list[Question] = []
        if kind.has_questions:
            raw = data.get("questions")
            if not isinstance(raw, list) or not raw:
                self.at(tr("A quiz step needs at least one [[steps.questions]]."), "type", index)
            for q_index, q in enumerate(raw or []):
                question = self.question(q, index, q_index)
                if question:
                    questions.append(question)
        params = self.params(data, index, demo if isinstance(demo, str) else "")
        return Step(step_id, kind.name, minutes, title, competencies,
                    demo if isinstance(demo, str) else None,
                    params, tuple(questions), markdown)

    def params(self, data: dict, index: int, demo: str) -> dict[str, object]:
        """The demo step's parameters, each checked against what the demo declares (a
        value pupils see is given in every language, and each language's is checked)."""
        params = data.get("params", {})
        if not isinstance(params, dict):
            self.at(tr("'params' must be a table."), "params", index)
            return {}
        declared = (self.known_demos or {}).get(demo)
        for key, value in params.items():
            if declared is None:  # the demo's declaration is not known here
                continue
            spec = declared.get(key)
            if spec is None:
                self.at(tr("The demo '{demo}' has no parameter '{key}' (it has: {names}).")
                        .format(demo=demo, key=key, names=", ".join(declared) or "-"),
                        "params", index)
            else:
                for found in self.param_problems(spec, value):
                    self.at(found, "params", index)
        return params

    def param_problems(self, spec: ParamSpec, value: object) -> list[str]:
        if not spec.pupils_see:
            found = problem(spec, value)
            return [found] if found else []
        if not is_per_language(value):
            return [tr("Parameter '{key}' is text that pupils see: give it in zh_CN and en, "
                       "as {key} = {{ zh_CN = ..., en = ... }}.").format(key=spec.name)]
        assert isinstance(value, dict)
        missing = [tr("Missing translation: parameter '{key}' has no {lang} value.")
                   .format(key=spec.name, lang=lang) for lang in LANGUAGES if lang not in value]
        return missing + [found for found in (problem(spec, v) for v in value.values()) if found]

    def periods(self, data: dict, stage: object, total: int) -> int:
        """The class periods the lesson takes; its steps must fill them (±5 minutes)."""
        periods = data.get("periods", 1)
        if not isinstance(periods, int) or isinstance(periods, bool) or \
                not 1 <= periods <= MAX_PERIODS:
            self.at(tr("'periods' must be a whole number from 1 to {most}.")
                    .format(most=MAX_PERIODS), "periods")
            return 1
        length = PERIOD_MINUTES.get(str(stage))
        if length and total and abs(total - periods * length) > PERIOD_SLACK_MINUTES:
            self.at(tr("The steps add up to {total} minutes, but {periods} class period(s) "
                       "of this stage take {planned} minutes: make them fit within "
                       "{slack} minutes, or change 'periods'.")
                    .format(total=total, periods=periods, planned=periods * length,
                            slack=PERIOD_SLACK_MINUTES), "minutes")
        return periods

    def lesson(self, data: dict, shipped: bool) -> Lesson | None:
        lesson_id = data.get("id")
        if not isinstance(lesson_id, str) or not ID_PATTERN.match(lesson_id):
            self.at(tr("The lesson needs an 'id' of lowercase letters, digits and '-'."), "id")
        stage = data.get("stage")
        if stage not in STAGES:
            self.at(tr("'stage' must be primary, middle or senior."), "stage")
        grades = data.get("grades")
        allowed = STAGE_GRADES.get(str(stage), range(1, 13))
        if not isinstance(grades, list) or not grades or not all(
            isinstance(g, int) and g in allowed for g in grades
        ):
            self.at(tr("'grades' must list grades of the stage ({first} to {last}).")
                    .format(first=allowed[0], last=allowed[-1]), "grades")
            grades = []
        minutes = data.get("minutes")
        if not _whole_minutes(minutes):
            self.at(tr("'minutes' must be a whole number from 1 to {most}.")
                    .format(most=MAX_MINUTES), "minutes")
            minutes = 0
        title = self.texts(data, "title")
        summary = self.texts(data, "summary")
        objectives = self.text_lists(data, "objectives")
        competencies = self.competencies(data)
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            self.at(tr("The lesson has no [[steps]]."))
            raw_steps = []
        seen: set[str] = set()
        steps = [s for i, raw in enumerate(raw_steps) if (s := self.step(raw, i, seen))]
        total = sum(s.minutes for s in steps)
        if minutes and len(steps) == len(raw_steps) and total != minutes:
            self.at(tr("The steps add up to {total} minutes but the lesson says {minutes}.")
                    .format(total=total, minutes=minutes), "minutes")
        periods = self.periods(data, stage, total if len(steps) == len(raw_steps) else 0)
        if TEACHER_NOTES in seen:
            self.at(tr("No step may be called '{step}': that name holds the teacher notes.")
                    .format(step=TEACHER_NOTES), "steps")
        notes = self.teacher_notes()
        if self.problems:
            return None
        return Lesson(str(lesson_id), str(stage), tuple(grades), minutes, title, summary,
                      objectives, competencies, tuple(steps), self.root, shipped, periods,
                      notes)

    def check_sizes(self) -> None:
        total = recorded = 0
        for path in sorted(self.root.rglob("*")):
            if path.is_symlink():
                self.add(str(path.relative_to(self.root)), None,
                         tr("Links are not allowed in a lesson pack."))
                continue
            if path.is_file():
                size = path.stat().st_size
                relative = path.relative_to(self.root).as_posix()
                limit = file_limit(relative)
                if limit == MAX_FILE_BYTES:
                    total += size
                else:
                    recorded += size
                if size > limit:
                    self.add(relative, None, tr("File is larger than 5 MB.")
                             if limit == MAX_FILE_BYTES else tr("File is larger than 1 GB."))
                elif path.suffix.lower() in TEXT_SUFFIXES and relative != METADATA:
                    self.read_text(relative)
        if total > MAX_PACK_BYTES:
            self.add(".", None, tr("The pack is larger than 20 MB."))
        if recorded > MAX_RECORDINGS_BYTES:
            self.add(RECORDINGS, None, tr("The recordings are larger than 2 GB."))


def _whole_minutes(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and \
        1 <= value <= MAX_MINUTES


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def known_demos_of(known: KnownDemos | None
                   ) -> dict[str, Mapping[str, ParamSpec] | None] | None:
    """Each known demo with its declared parameters (None: ids only, nothing to check)."""
    if known is None:
        return None
    if isinstance(known, Mapping):
        return dict(known)
    return dict.fromkeys(known)


def load_pack(root: Path, known_demos: KnownDemos | None = None,
              shipped: bool = True) -> PackResult:
    """Read and validate the pack in ``root``; never raises for bad content."""
    checker = _Checker(root, known_demos)
    if not root.is_dir():
        checker.add(".", None, tr("Not a folder."))
        return PackResult(root, None, tuple(checker.problems))
    checker.check_sizes()
    text = checker.read_text(METADATA)
    if text is None:
        return PackResult(root, None, tuple(checker.problems))
    checker.locator = TomlLocator(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        checker.add(METADATA, int(found.group(1)) if found else None,
                    tr("Not valid TOML: {error}").format(error=error))
        return PackResult(root, None, tuple(checker.problems))
    except RecursionError:  # Python's TOML reader recurses once a level: stop it there
        checker.add(METADATA, None, tr("Lists or tables are nested too deeply (thousands "
                                       "of levels): this is not a lesson."))
        return PackResult(root, None, tuple(checker.problems))
    lesson = checker.lesson(data, shipped)
    problems = tuple(dict.fromkeys(checker.problems))
    return PackResult(root, lesson if not problems else None, problems)
