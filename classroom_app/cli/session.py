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
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from classroom_app.cli.session_words import describe, say, until_signal
from classroom_app.core.context import open_context
from classroom_app.core.i18n import pick, tr
from classroom_app.core.session.discovery import DISCOVERY_PORT, Announcing
from classroom_app.core.session.protocol import PORT, ClassroomStatus
from classroom_app.core.store import StoreError

if TYPE_CHECKING:  # the other session modules load aiortc and PyAV: imported when run
    from classroom_app.core.session.host import SessionHost

COMMAND = "session"


def _announcing(args: argparse.Namespace) -> Announcing | None:
    if args.no_announce:
        return None
    targets = tuple(args.announce_to) if args.announce_to else None
    return Announcing(args.announce_port, targets)


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
    host.add_argument("--announce-to", action="append", metavar="ADDR",
                      help=tr("announce to this address only (repeatable; default: this PC "
                              "and every network's broadcast address)"))
    host.add_argument("--announce-port", type=int, default=DISCOVERY_PORT, metavar="N",
                      help=tr("the port announcements go to"))
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
        if args.action == "host":
            return asyncio.run(_host(args))
        from classroom_app.cli.session_join import join

        return asyncio.run(join(args))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were in place
        return 130


# -- host ----------------------------------------------------------------------------------
def _open_video(args: argparse.Namespace) -> object | None:
    """The picture to send: the --video file, else camera 0; None (and why) if neither."""
    from classroom_app.core.session.video import SessionFeed
    from classroom_app.core.vision.sources import CameraSource, SourceError, VideoFileSource

    try:
        source = VideoFileSource(args.video) if args.video else CameraSource(0)
    except SourceError as error:
        say(tr("No video: {reason} The session goes on with voice and lesson steps.")
             .format(reason=error))
        return None
    return SessionFeed(source)


def _urls(bind: str, port: int, code: str) -> list[str]:
    """The addresses classrooms can use: every LAN IPv4 address, then the loopback one."""
    if bind not in ("", "0.0.0.0", "::"):
        return [f"http://{bind}:{port}/?code={code}"]
    from classroom_app.core.session.sharing import join_urls

    return [*join_urls(port, code), f"http://127.0.0.1:{port}/?code={code}"]


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
                say(line)

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
        say(tr("Unknown command '{line}'. Commands: step N, next, back, quiz [N], close, "
                "demo ID, status, end.").format(line=line.strip()), error=True)

    def _check(self, step: int) -> bool:
        if step < 0:
            say(tr("This is the first step."), error=True)
            return False
        if self.steps and step >= self.steps:
            say(tr("The lesson has {count} steps.").format(count=self.steps), error=True)
            return False
        return True

    def go(self, step: int) -> None:
        if self._check(step):
            self._sent(self.host.send("step", step))

    def _sent(self, command: object) -> None:
        say(tr("Sent: {state}").format(state=describe(self.host.state, self.steps,
                                                       self.titles)))

    def status(self) -> None:
        host = self.host
        lesson = host.state.lesson or "-"
        say(tr("Lesson {lesson}: {state}").format(
            lesson=lesson, state=describe(host.state, self.steps, self.titles)))
        if self.feed is not None and not getattr(self.feed, "running", True):
            say(tr("The video stopped: {reason}").format(
                reason=getattr(self.feed, "error", "")))
        classrooms = host.snapshot()
        if not classrooms:
            say(tr("No classroom has joined yet."))
        for room in classrooms:
            answers = ", ".join(f"{step} {_answers_text(summary)}"
                                for step, summary in room.answers.items())
            say(tr("  {name}: {link}, {hand}, video {video}, {fps} fps, answers: "
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
            say(str(error), error=True)
            return None
        return "", "", ()
    try:
        if not args.lesson:
            return "", "", ()
        lesson = ctx.library.get(args.lesson)
        if lesson is None:
            say(tr("There is no lesson '{id}'.").format(id=args.lesson), error=True)
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
        say(tr("The session code has 6 digits."), error=True)
        return 2
    audio = None
    if not args.no_mic:
        audio, reason = open_microphone()
        if audio is None:
            say(reason)
    recorder = None
    created = False
    if args.record is not None:
        created = not args.record.exists()
        try:
            recorder = SessionRecorder(args.record, lesson, title, with_audio=audio is not None)
        except (RecordingError, OSError) as error:
            say(str(error), error=True)
            if audio is not None:
                audio.stop()
            return 2
    feed = _open_video(args)
    overview = _Overview()
    host = SessionHost(lesson, code=args.code, feed=feed, audio=audio, title=title,
                       recorder=recorder, on_change=overview,
                       announce=_announcing(args))
    try:
        await host.start(args.bind, args.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            say(tr("Port {port} is already in use: another session may be running. Choose "
                    "another with --port.").format(port=args.port), error=True)
        else:
            say(tr("Cannot listen on {address} port {port}: {error}").format(
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
        say(tr("Lesson: {title} ({count} steps)").format(title=title, count=len(titles)))
    say(tr("Session {code} open. Classrooms join at: {urls}").format(
        code=host.code, urls=" ".join(_urls(args.bind, host.port, host.code))))
    say(tr("Commands: step N, next, back, quiz [N], close, demo ID, status, end."))
    console = _Console(host, titles, feed)
    stop = asyncio.Event()
    until_signal(stop)
    loop = asyncio.get_running_loop()
    if args.duration is not None:
        loop.call_later(max(0.0, args.duration), stop.set)

    def line(text: str | None) -> None:
        if stop.is_set():
            return
        if text is None:
            say(tr("No more typed commands; the session runs until Ctrl-C."))
        elif not console.handle(text):
            stop.set()

    threading.Thread(target=_read_stdin, args=(loop, line), name="session-stdin",
                     daemon=True).start()
    await stop.wait()
    say(tr("Ending the session…"))
    await host.stop()
    if feed is not None:
        feed.close()
    if audio is not None:
        audio.stop()
    if recorder is not None:
        say(tr("Recorded into {path}.").format(path=args.record))
    return 0
