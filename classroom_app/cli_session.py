"""``classroom session host`` and ``classroom session join``: a live session without a GUI.

The master teacher's PC hosts (camera or a video file, microphone, the lesson's steps)
and is steered by typed commands; a classroom PC joins with the address and code the
host prints, follows the lesson and can write what it measured to a JSON report. Both
run headless, so a session can be tried, benchmarked and tested from a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import contextlib
import errno
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

from classroom_app.core.context import open_context
from classroom_app.core.i18n import pick, tr
from classroom_app.core.session.discovery import DISCOVERY_PORT
from classroom_app.core.session.protocol import PORT, ClassroomStatus, LessonState
from classroom_app.core.store import StoreError

if TYPE_CHECKING:  # the other session modules load aiortc and PyAV: imported when run
    from classroom_app.core.session.host import SessionHost

COMMAND = "session"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    session = sub.add_parser(COMMAND, help=tr("host or join a live session between classrooms"))
    ssub = session.add_subparsers(dest="action", required=True)
    host = ssub.add_parser("host", help=tr("host a session as the master teacher and steer it "
                                           "with typed commands"))
    host.add_argument("--video", type=Path, metavar="FILE",
                      help=tr("a video file that stands in for the camera"))
    host.add_argument("--lesson", metavar="ID", help=tr("the id of the lesson to teach"))
    host.add_argument("--record", type=Path, metavar="DIR",
                      help=tr("record the session into this folder"))
    host.add_argument("--port", type=int, default=PORT,
                      help=tr("the port classrooms connect to (0: any free port)"))
    host.add_argument("--bind", default="0.0.0.0", metavar="ADDR",
                      help=tr("the address to listen on"))
    host.add_argument("--code", help=tr("the session code, 6 digits (default: a new random one)"))
    host.add_argument("--no-mic", action="store_true", help=tr("do not send the microphone"))
    host.add_argument("--no-announce", action="store_true",
                      help=tr("do not announce the session on the school network"))
    host.add_argument("--duration", type=float, metavar="S",
                      help=tr("stop after this many seconds"))
    join = ssub.add_parser("join", help=tr("join a session as a classroom"))
    join.add_argument("url", metavar="URL",
                      help=tr("the address the master's PC shows, e.g. "
                              "http://192.168.1.5:8765/?code=123456"))
    join.add_argument("--code", help=tr("the session code, if the address lacks it"))
    join.add_argument("--name", help=tr("this classroom's name (default: the PC's name)"))
    join.add_argument("--report", type=Path, metavar="FILE",
                      help=tr("write what was measured to this JSON file at the end"))
    join.add_argument("--duration", type=float, metavar="S",
                      help=tr("stop after this many seconds"))


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_host(args) if args.action == "host" else _join(args))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were in place
        return 130


def _say(text: str, error: bool = False) -> None:
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


def _until_signal(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        # Windows' loops have no signal handlers (NotImplementedError); there Ctrl-C
        # arrives as KeyboardInterrupt instead, which run() handles.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, stop.set)


def describe(state: LessonState, steps: int = 0, titles: tuple[str, ...] = ()) -> str:
    """Where the lesson is, for people: steps counted from 1."""
    if state.ended:
        return tr("the lesson has ended")
    shown = state.step + 1
    step = (tr("step {step} of {count}").format(step=shown, count=steps) if steps
            else tr("step {step}").format(step=shown))
    if state.step < len(titles) and titles[state.step]:
        step = f"{step} ({titles[state.step]})"
    if state.activity == "quiz":
        return tr("{step}, quiz open").format(step=step)
    if state.demo is not None:
        return tr("{step}, demo {demo}").format(step=step, demo=state.demo)
    return step


# -- host ----------------------------------------------------------------------------------
def _open_video(args: argparse.Namespace) -> object | None:
    """The picture to send: the --video file, else camera 0; None (and why) if neither."""
    from classroom_app.core.session.video import FrameFeed
    from classroom_app.core.vision.sources import CameraSource, SourceError, VideoFileSource

    try:
        source = VideoFileSource(args.video) if args.video else CameraSource(0)
    except SourceError as error:
        _say(tr("No video: {reason} The session goes on with voice and lesson steps.")
             .format(reason=error))
        return None
    return FrameFeed(source)


def _urls(bind: str, port: int, code: str) -> list[str]:
    """The addresses classrooms can use: every LAN IPv4 address, then the loopback one."""
    if bind not in ("", "0.0.0.0", "::"):
        return [f"http://{bind}:{port}/?code={code}"]
    hosts: list[str] = []
    with contextlib.suppress(Exception):  # no adapter list: the loopback address still works
        import ifaddr

        for adapter in ifaddr.get_adapters():
            for ip in adapter.ips:
                if (isinstance(ip.ip, str) and not ip.ip.startswith("127.")
                        and ip.ip not in hosts):
                    hosts.append(ip.ip)
    hosts.append("127.0.0.1")
    return [f"http://{host}:{port}/?code={code}" for host in hosts]


def _answers_text(summary: object) -> str:
    counts = getattr(summary, "counts", ())
    return "; ".join("/".join(str(n) for n in row) for row in counts)


class _Overview:
    """Prints what changes in the classrooms: joined, left, hands, answers, video."""

    def __init__(self) -> None:
        self.known: dict[str, ClassroomStatus] = {}

    def __call__(self, classrooms: list[ClassroomStatus]) -> None:
        for now in classrooms:
            before = self.known.get(now.id)
            self.known[now.id] = now
            for line in self._changes(before, now):
                _say(line)

    @staticmethod
    def _changes(before: ClassroomStatus | None, now: ClassroomStatus) -> list[str]:
        name = now.name
        lines: list[str] = []
        was_connected = before.connected if before else False
        if now.connected and not was_connected:
            lines.append(tr("{name} joined.").format(name=name))
        elif was_connected and not now.connected:
            lines.append(tr("{name} left.").format(name=name))
        if now.hand != (before.hand if before else False):
            lines.append(tr("{name} raised a hand.").format(name=name) if now.hand
                         else tr("{name} lowered the hand.").format(name=name))
        old_answers = before.answers if before else {}
        for step, summary in now.answers.items():
            if old_answers.get(step) != summary:
                lines.append(tr("{name} sent answers for {step}: {counts} ({learners} "
                                "learners).").format(name=name, step=step,
                                                     counts=_answers_text(summary),
                                                     learners=summary.learners))
        if now.local != (before.local if before else ""):
            lines.append(tr("{name} leads on its own ({mode}).").format(name=name,
                                                                     mode=now.local)
                         if now.local else tr("{name} follows the master again.")
                         .format(name=name))
        if was_connected and now.video and before and now.video != before.video:
            lines.append(tr("{name} gets video at level {level}.").format(name=name,
                                                                         level=now.video))
        return lines


class _Console:
    """Reads the master's typed commands and applies them to the session."""

    def __init__(self, host: SessionHost, titles: tuple[str, ...], feed: object | None) -> None:
        self.host, self.titles, self.feed = host, titles, feed

    @property
    def steps(self) -> int:
        return len(self.titles)

    def handle(self, line: str) -> bool:
        """Apply one command line; False when the master wants to stop."""
        words = line.split()
        if not words:
            return True
        word, rest = words[0].lower(), words[1:]
        if word in ("end", "quit", "exit"):
            return False
        try:
            if word == "status":
                self.status()
            elif word == "step" and len(rest) == 1:
                self.go(int(rest[0]) - 1)
            elif word == "next" and not rest:
                self.go(self.host.state.step + 1)
            elif word == "back" and not rest:
                self.go(self.host.state.step - 1)
            elif word == "quiz" and len(rest) <= 1:
                step = int(rest[0]) - 1 if rest else self.host.state.step
                if self._check(step):
                    self._sent(self.host.send("quiz", step))
            elif word == "close" and not rest:
                self._sent(self.host.send("close-quiz"))
            elif word == "demo" and len(rest) == 1:
                self._sent(self.host.send("demo", rest[0]))
            else:
                self.usage(line)
        except ValueError:
            self.usage(line)
        return True

    def usage(self, line: str) -> None:
        _say(tr("Unknown command '{line}'. Commands: step N, next, back, quiz [N], close, "
                "demo ID, status, end.").format(line=line.strip()), error=True)

    def _check(self, step: int) -> bool:
        if step < 0:
            _say(tr("This is the first step."), error=True)
            return False
        if self.steps and step >= self.steps:
            _say(tr("The lesson has {count} steps.").format(count=self.steps), error=True)
            return False
        return True

    def go(self, step: int) -> None:
        if self._check(step):
            self._sent(self.host.send("step", step))

    def _sent(self, command: object) -> None:
        _say(tr("Sent: {state}").format(state=describe(self.host.state, self.steps,
                                                       self.titles)))

    def status(self) -> None:
        host = self.host
        lesson = host.state.lesson or "-"
        _say(tr("Lesson {lesson}: {state}").format(
            lesson=lesson, state=describe(host.state, self.steps, self.titles)))
        if self.feed is not None and not getattr(self.feed, "running", True):
            _say(tr("The video stopped: {reason}").format(
                reason=getattr(self.feed, "error", "")))
        classrooms = host.snapshot()
        if not classrooms:
            _say(tr("No classroom has joined yet."))
        for room in classrooms:
            answers = ", ".join(f"{step} {_answers_text(summary)}"
                                for step, summary in room.answers.items())
            _say(tr("  {name}: {link}, {hand}, video {video}, {fps} fps, answers: "
                    "{answers}").format(
                name=room.name, link=tr("connected") if room.connected else tr("not connected"),
                hand=tr("hand raised") if room.hand else tr("no hand raised"),
                video=room.video or tr("none"),
                fps=f"{room.fps:.1f}", answers=answers or tr("none")))


def _read_stdin(loop: asyncio.AbstractEventLoop, deliver: Callable[[str | None], None]) -> None:
    """Lines from standard input, in a daemon thread (``os.read``: no lock left held at exit)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    while True:
        try:
            data = os.read(0, 4096)
        except OSError:  # no usable stdin (nohup): like the end of input
            data = b""
        pending += decoder.decode(data, final=not data)
        *lines, pending = pending.replace("\r", "").split("\n")
        for line in ([*lines, pending] if not data and pending else lines):
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(deliver, line)
        if not data:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(deliver, None)
            return


def _lesson(args: argparse.Namespace) -> tuple[str, str, tuple[str, ...]] | None:
    """(id, title, step titles) of --lesson; None (after saying why) when it is unknown."""
    try:
        ctx = open_context(args.lang)
    except StoreError as error:
        if args.lesson:
            _say(str(error), error=True)
            return None
        return "", "", ()
    try:
        if not args.lesson:
            return "", "", ()
        lesson = ctx.library.get(args.lesson)
        if lesson is None:
            _say(tr("There is no lesson '{id}'.").format(id=args.lesson), error=True)
            return None
        return lesson.id, pick(lesson.title), tuple(pick(step.title) for step in lesson.steps)
    finally:
        ctx.close()


def _forget_recording(folder: Path, created: bool) -> None:
    """Remove what a recorder wrote into ``folder`` for a session that never started."""
    from classroom_app.core.session.recording import EVENTS, MANIFEST

    for name in (MANIFEST, EVENTS):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    if created:
        with contextlib.suppress(OSError):
            folder.rmdir()


async def _host(args: argparse.Namespace) -> int:
    from classroom_app.core.session.audio import open_microphone
    from classroom_app.core.session.host import SessionHost
    from classroom_app.core.session.recording import RecordingError, SessionRecorder

    found = _lesson(args)
    if found is None:
        return 2
    lesson, title, titles = found
    if args.code is not None and not (args.code.isdigit() and len(args.code) == 6):
        _say(tr("The session code has 6 digits."), error=True)
        return 2
    audio = None
    if not args.no_mic:
        audio, reason = open_microphone()
        if audio is None:
            _say(reason)
    recorder = None
    created = False
    if args.record is not None:
        created = not args.record.exists()
        try:
            recorder = SessionRecorder(args.record, lesson, title, with_audio=audio is not None)
        except (RecordingError, OSError) as error:
            _say(str(error), error=True)
            if audio is not None:
                audio.stop()
            return 2
    feed = _open_video(args)
    overview = _Overview()
    host = SessionHost(lesson, code=args.code, feed=feed, audio=audio, title=title,
                       recorder=recorder, on_change=overview,
                       announce_port=None if args.no_announce else DISCOVERY_PORT)
    try:
        await host.start(args.bind, args.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            _say(tr("Port {port} is already in use: another session may be running. Choose "
                    "another with --port.").format(port=args.port), error=True)
        else:
            _say(tr("Cannot listen on {address} port {port}: {error}").format(
                address=args.bind, port=args.port, error=error.strerror or error), error=True)
        if recorder is not None:
            recorder.close()
            _forget_recording(args.record, created)
        if feed is not None:
            feed.close()
        if audio is not None:
            audio.stop()
        return 1
    if title:
        _say(tr("Lesson: {title} ({count} steps)").format(title=title, count=len(titles)))
    _say(tr("Session {code} open. Classrooms join at: {urls}").format(
        code=host.code, urls=" ".join(_urls(args.bind, host.port, host.code))))
    _say(tr("Commands: step N, next, back, quiz [N], close, demo ID, status, end."))
    console = _Console(host, titles, feed)
    stop = asyncio.Event()
    _until_signal(stop)
    loop = asyncio.get_running_loop()
    if args.duration is not None:
        loop.call_later(max(0.0, args.duration), stop.set)

    def line(text: str | None) -> None:
        if stop.is_set():
            return
        if text is None:
            _say(tr("No more typed commands; the session runs until Ctrl-C."))
        elif not console.handle(text):
            stop.set()

    threading.Thread(target=_read_stdin, args=(loop, line), name="session-stdin",
                     daemon=True).start()
    await stop.wait()
    _say(tr("Ending the session…"))
    await host.stop()
    if feed is not None:
        feed.close()
    if audio is not None:
        audio.stop()
    if recorder is not None:
        _say(tr("Recorded into {path}.").format(path=args.record))
    return 0


# -- join ----------------------------------------------------------------------------------
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
            _say(tr("Video level: {level}").format(level=level))
        if status == self.status:
            return
        now = time.monotonic()
        if self.connected_since is not None:
            self.connected_total += now - self.connected_since
            self.connected_since = None
        self.status = status
        if status == "connecting":
            _say(tr("Connecting to {address}…").format(address=self.address))
        elif status == "connected":
            self.connected_since = now
            self.joins += 1
            if self.connect_s is None:
                self.connect_s = now - self.started
            _say(tr("Connected."))
        elif status == "reconnecting":
            if self.connect_s is None:
                if not self.said_unreachable:
                    self.said_unreachable = True
                    _say(tr("Cannot reach {address}; retrying until it answers.").format(
                        address=self.address))
            else:
                _say(tr("The link dropped; reconnecting…"))
        elif status == "failed":
            self.error = detail
            _say(detail, error=True)
        elif status == "ended":
            _say(tr("The master teacher ended the session."))
        elif status == "stopped":
            _say(tr("Left the session."))

    def on_state(self, state: LessonState, command: object | None, title: str) -> None:
        if command is None:
            _say(tr("Lesson {lesson}: {state}").format(lesson=title or state.lesson or "-",
                                                       state=describe(state)))
        else:
            _say(tr("Master: {state}").format(state=describe(state)))


async def _join(args: argparse.Namespace) -> int:
    from classroom_app.core.session.client import JoinError, SessionClient, parse_address

    with contextlib.suppress(StoreError):  # only for the language the PC is set to
        open_context(args.lang).close()
    try:
        base, url_code = parse_address(args.url)
    except JoinError as error:
        _say(str(error), error=True)
        return 1
    code = args.code or url_code
    if not code:
        _say(tr("The address has no session code: add ?code=… or --code."), error=True)
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
    _until_signal(stop)
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
            _say(tr("Cannot write the report {path}: {error}").format(path=args.report,
                                                                     error=error), error=True)
            return 1
    return 1 if follower.error or follower.connect_s is None else 0
