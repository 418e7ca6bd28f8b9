"""``classroom session join``: a classroom follows a live session from a terminal.

It prints the link and the lesson as they change and, with ``--report``, writes what it
measured (time to join, frames, commands and their latency) as JSON: a teacher checks
the school network with it, and the tests and benchmark read it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import time
from statistics import median

from classroom_app.cli.session_words import describe, say, until_signal
from classroom_app.core.context import open_context
from classroom_app.core.i18n import tr
from classroom_app.core.session.protocol import LessonState
from classroom_app.core.store import StoreError


class _Follower:
    """Prints a classroom's link and lesson as they change; keeps time connected."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.status = ""
        self.started = time.monotonic()
        self.connect_s: float | None = None
        self.connected_since: float | None = None
        self.connected_total = 0.0
        self.level = ""
        self.steps = 0
        self.error = ""
        self.said_unreachable = False
        self.joins = 0

    def connected_seconds(self) -> float:
        extra = time.monotonic() - self.connected_since if self.connected_since else 0.0
        return self.connected_total + extra

    def on_status(self, status: str, detail: str, level: str) -> None:
        if level and level != self.level:
            self.level = level
            say(tr("Video level: {level}").format(level=level))
        if status == self.status:
            return
        now = time.monotonic()
        if self.connected_since is not None:
            self.connected_total += now - self.connected_since
            self.connected_since = None
        self.status = status
        if status == "connecting":
            say(tr("Connecting to {address}…").format(address=self.address))
        elif status == "connected":
            self.connected_since = now
            self.joins += 1
            if self.connect_s is None:
                self.connect_s = now - self.started
            say(tr("Connected."))
        elif status == "reconnecting":
            if self.connect_s is None:
                if not self.said_unreachable:
                    self.said_unreachable = True
                    say(tr("Cannot reach {address}; retrying until it answers.").format(
                        address=self.address))
            else:
                say(tr("The link dropped; reconnecting…"))
        elif status == "failed":
            self.error = detail
            say(detail, error=True)
        elif status == "ended":
            say(tr("The master teacher ended the session."))
        elif status == "stopped":
            say(tr("Left the session."))

    def on_state(self, state: LessonState, command: object | None, title: str) -> None:
        if command is None:
            say(tr("Lesson {lesson}: {state}").format(lesson=title or state.lesson or "-",
                                                       state=describe(state)))
        else:
            say(tr("Master: {state}").format(state=describe(state)))


async def join(args: argparse.Namespace) -> int:
    from classroom_app.core.session.client import JoinError, SessionClient, parse_address

    with contextlib.suppress(StoreError):  # only for the language the PC is set to
        open_context(args.lang).close()
    try:
        base, url_code = parse_address(args.url)
    except JoinError as error:
        say(str(error), error=True)
        return 1
    code = args.code or url_code
    if not code:
        say(tr("The address has no session code: add ?code=… or --code."), error=True)
        return 1
    follower = _Follower(base)
    client: SessionClient

    def on_status(status: str, detail: str) -> None:
        follower.on_status(status, detail, client.stats.video_level)

    client = SessionClient(base, code, args.name or socket.gethostname() or "classroom",
                           on_status=on_status,
                           on_state=lambda state, command: follower.on_state(
                               state, command, client.title))
    stop = asyncio.Event()
    until_signal(stop)
    if args.duration is not None:
        asyncio.get_running_loop().call_later(max(0.0, args.duration), stop.set)
    running = asyncio.ensure_future(client.run())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait((running, stopping), return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    await client.stop()
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(running, 2)  # a retry pause is not cut short by stop()
    if args.report is not None:
        stats = client.stats
        seconds = follower.connected_seconds()
        report = {
            "connect_s": None if follower.connect_s is None else round(follower.connect_s, 3),
            "frames": stats.frames,
            "fps": round(stats.frames / seconds, 2) if seconds > 0 else 0.0,
            "width": stats.width, "height": stats.height, "audio_frames": stats.audio_frames,
            "reconnects": max(0, follower.joins - 1),
            "video_level": stats.video_level, "commands": stats.commands,
            "latency_ms_median": (round(median(stats.latencies_ms), 2)
                                  if stats.latencies_ms else None)}
        try:
            args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")
        except OSError as error:
            say(tr("Cannot write the report {path}: {error}").format(path=args.report,
                                                                     error=error), error=True)
            return 1
    return 1 if follower.error or follower.connect_s is None else 0
