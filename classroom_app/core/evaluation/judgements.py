"""What the teacher adds: a rating per aspect, a comment, and the confirmation of a
term summary. Each is an xAPI statement in the outbox like any other evidence, so it
syncs, and the latest one stands (earlier ones stay, as history)."""

from __future__ import annotations

import uuid
from typing import Any

from classroom_app.core import xapi
from classroom_app.core.evaluation.class_report import ClassReport, summary_activity_id
from classroom_app.core.evaluation.facts import COMMENT_ACTIVITY, COMPETENCY_PREFIX
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import summary_of
from classroom_app.core.lessons.model import ASPECTS, LEVELS
from classroom_app.core.store import ClassInfo, Learner, Store

ASPECT_TITLES = {
    "human-centred-mindset": ("以人为本的思维", "Human-centred mindset"),
    "ethics-of-ai": ("人工智能伦理", "Ethics of AI"),
    "ai-techniques-and-applications": ("人工智能技术与应用", "AI techniques and applications"),
    "ai-system-design": ("人工智能系统设计", "AI system design"),
}


def teacher_agent(home_page: str, name: str) -> dict[str, Any]:
    shown = name.strip() or "teacher"
    return {"objectType": "Agent", "name": shown,
            "account": {"homePage": home_page, "name": f"teacher:{shown}"}}


def _context(home_page: str, teacher: str, info: ClassInfo, period: Period) -> dict[str, Any]:
    return {"registration": str(uuid.uuid4()), "platform": xapi.PLATFORM,
            "instructor": teacher_agent(home_page, teacher),
            "team": xapi.team(home_page, info.name),
            "extensions": {xapi.STAGE_EXTENSION: info.stage,
                           xapi.PERIOD_EXTENSION: period.key}}


def record_rating(store: Store, home_page: str, teacher: str, info: ClassInfo,
                  period: Period, learner: Learner, aspect: str, level: int) -> str:
    """The teacher rates ``learner`` at ``level`` (0 none, 1–3) in ``aspect`` for
    ``period``."""
    if aspect not in ASPECTS or not 0 <= level <= len(LEVELS):
        raise ValueError(f"no such rating: {aspect} {level}")
    zh, en = ASPECT_TITLES[aspect]
    activity = {"objectType": "Activity", "id": COMPETENCY_PREFIX + aspect,
                "definition": {"type": xapi.ACTIVITY_TYPES["competency"],
                               "name": {"zh-CN": zh, "en-US": en}}}
    statement = xapi.make_statement(
        xapi.actor(home_page, learner.student_number), "scored", activity,
        _context(home_page, teacher, info, period),
        {"score": {"raw": level, "min": 0, "max": len(LEVELS)}})
    with store.transaction():
        store.append_statement(statement.id, statement.text, statement.timestamp)
    return statement.id


def record_comment(store: Store, home_page: str, teacher: str, info: ClassInfo,
                   period: Period, learner: Learner, text: str) -> str:
    activity = {"objectType": "Activity", "id": COMMENT_ACTIVITY,
                "definition": {"type": xapi.ACTIVITY_TYPES["competency"],
                               "name": {"zh-CN": "教师评语", "en-US": "Teacher's comment"}}}
    statement = xapi.make_statement(
        xapi.actor(home_page, learner.student_number), "commented", activity,
        _context(home_page, teacher, info, period), {"response": text.strip()})
    with store.transaction():
        store.append_statement(statement.id, statement.text, statement.timestamp)
    return statement.id


def confirm_summary(store: Store, home_page: str, teacher: str, report: ClassReport) -> str:
    """The teacher confirms ``report`` as it stands: the statement carries the figures
    confirmed and their digest, so a later change shows as unconfirmed."""
    info, period = report.info, report.period
    activity = {"objectType": "Activity", "id": summary_activity_id(info.name, period),
                "definition": {"type": xapi.ACTIVITY_TYPES["summary"],
                               "name": {"zh-CN": f"{info.name} {period.key} 综合素质评价小结",
                                        "en-US": f"{info.name} {period.key} term summary"}}}
    result = {"completion": True, "extensions": {
        xapi.SUMMARY_EXTENSION: summary_of(e for _, e in report.rows),
        xapi.DIGEST_EXTENSION: report.digest}}
    ctx = _context(home_page, teacher, info, period)
    del ctx["instructor"]
    statement = xapi.make_statement(teacher_agent(home_page, teacher), "confirmed", activity,
                                    ctx, result)
    with store.transaction():
        store.append_statement(statement.id, statement.text, statement.timestamp)
    return statement.id
