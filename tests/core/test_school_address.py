"""The school's web address: records made before it is set never become unsyncable.

They carry a marker (never a made-up address), nothing is sent until the address is
set, and setting or changing it re-addresses every record that never left the PC,
with the count told; records a hub or a USB file already holds are never changed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support.sync_support import SCHOOL, record_statements

from classroom_app.core import school_address
from classroom_app.core.context import open_context
from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.judgements import confirm_summary
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.settings import load
from classroom_app.core.sync.service import NotConfigured, export_usb, push_outbox
from classroom_app.core.sync.usb_file import read_file


def homes(text: str) -> set[str]:
    """Every account home page a statement names."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            account = value.get("account")
            if isinstance(account, dict):
                found.add(account.get("homePage"))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(text))
    return found


def test_only_a_real_address_is_taken() -> None:
    """Reserved names, missing schemes and hosts without a dot are refused."""
    for bad in ("https://school.invalid/", "www.school.edu.cn", "ftp://school.edu.cn/",
                "https://example.com/", "https://localhost/", "https://school/"):
        assert school_address.problem_with(bad), bad
    for good in ("https://www.bjsyxx.edu.cn/", "http://192.168.1.5/school/", SCHOOL):
        assert school_address.problem_with(good) is None, good


def test_records_before_the_address_carry_no_made_up_one_and_wait(ctx, tmp_path: Path) -> None:
    """A new PC has no address: its records carry the marker, and neither a push nor a
    USB export sends them; a clear sentence says what to do."""
    assert ctx.settings.school_home_page == ""
    ids = record_statements_unaddressed(ctx, 4)
    texts = [row["statement"] for row in ctx.store.statements()]
    assert len(ids) == 4 and all(homes(t) == {school_address.UNADDRESSED} for t in texts)
    ctx.update_settings(sync_endpoint="http://127.0.0.1:9/xapi/", sync_username="u",
                        sync_password="p")
    for send in (lambda: push_outbox(ctx.store, ctx.settings),
                 lambda: export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync")):
        with pytest.raises(NotConfigured, match="学校网址"):
            send()
    assert ctx.store.outbox_counts()["pending"] == 4 and not (tmp_path / "a.xapisync").exists()


def record_statements_unaddressed(ctx, count: int) -> list[str]:
    """Statements recorded as a new, offline PC records them (no address yet)."""
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260401", "王小明"), ("20260402", "李华")])
    learner = ctx.store.learners(info.id)[0]
    lesson = ctx.library.get("p1-how-computers-see")
    attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
    for step in lesson.steps[:count - 1]:
        ctx.progress.complete_step(attempt, lesson, step, 60)
    return [row["id"] for row in ctx.store.statements()]


def test_the_old_placeholder_counts_as_no_address(data_dir: Path) -> None:
    """A PC upgraded from a version that stored https://school.invalid/ is treated as
    having no address yet."""
    context = open_context()
    context.store.put_settings({"school_home_page": school_address.OLD_PLACEHOLDER})
    assert load(context.store).school_home_page == ""
    context.close()


def test_setting_the_address_readdresses_what_never_left_this_pc(ctx, tmp_path: Path) -> None:
    """Setting the address gives it to every waiting record (the count is returned);
    records already on a USB file or acknowledged keep theirs, byte for byte."""
    record_statements_unaddressed(ctx, 3)
    first = ctx.set_school("实验小学", "https://old.school.edu.cn/")
    assert first == 3
    export = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync")
    exported = {row["id"]: row["statement"] for row in ctx.store.statements()}
    acknowledged = record_statements_unaddressed_more(ctx)
    ctx.store.acknowledge([acknowledged], "test")
    kept = {row["id"]: row["statement"] for row in ctx.store.statements()}
    waiting = [i for i in kept if i not in exported and i != acknowledged]
    count = ctx.set_school("实验小学", "https://www.school.edu.cn/")
    assert count == len(waiting) > 0
    now = {row["id"]: row["statement"] for row in ctx.store.statements()}
    for statement_id, text in now.items():
        if statement_id in exported or statement_id == acknowledged:
            assert text == kept[statement_id]
        else:
            assert homes(text) == {"https://www.school.edu.cn/"}
    assert read_file(export.path, lambda _key: True).lines  # the file on the stick is untouched
    assert ctx.set_school("实验小学", "https://www.school.edu.cn/") == 0  # nothing left to do


def record_statements_unaddressed_more(ctx) -> str:
    lesson = ctx.library.get("p3-ai-around-us")
    info = ctx.store.classes()[0]
    attempt = ctx.progress.open_attempt(lesson, info.id, ctx.store.learners(info.id)[1].id)
    ctx.progress.complete_step(attempt, lesson, lesson.steps[0], 30)
    return ctx.store.statements()[-1]["id"]


def test_records_refused_for_an_old_address_reach_the_hub_after_the_fix(ctx, hub) -> None:
    """The case seen in a school: 31 records (a confirmed evaluation among them) made
    under the old placeholder are refused by the hub for ever; the sync page's fix
    re-addresses them, and the next push delivers every one."""
    record_statements(ctx, 30)
    ctx.store.put_settings({"school_home_page": school_address.OLD_PLACEHOLDER})
    old = ctx.store.statements()
    for row in old:  # as the version before wrote them
        ctx.store.rewrite_statements([(row["id"], school_address.readdressed(
            row["statement"], school_address.OLD_PLACEHOLDER))])
    info = ctx.store.classes()[0]
    period = Period.containing(date.today())
    confirm_summary(ctx.store, school_address.OLD_PLACEHOLDER, "王老师",
                    class_report(ctx.store, ctx.library, info.id, period))
    ctx.update_settings(school_home_page=SCHOOL, sync_endpoint=hub.url,
                        sync_username=hub.school.device.username,
                        sync_password=hub.school.password)
    report = push_outbox(ctx.store, ctx.settings)
    assert len(report.rejected) == 31 and report.acknowledged == 0
    assert school_address.hub_expects(ctx.store) == SCHOOL
    assert school_address.refused_elsewhere(ctx.store, SCHOOL) == 31
    assert ctx.set_school("实验小学", SCHOOL) == 31
    report = push_outbox(ctx.store, ctx.settings)
    assert report.acknowledged == 31 and not report.rejected
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": 31, "rejected": 0}
    assert hub.lrs.storage.count(SCHOOL) == 31
