"""``classroom-app --smoke``: the checks that a bundle really carries what the app needs
(Qt's Chinese, the models, the sync stack, WebRTC), each printed as one line.

The packaged bundle (``make smoke``) and the startup benchmark run them.
"""

from __future__ import annotations

import time
import uuid

from classroom_app.core import i18n


def run_checks() -> list[str]:
    """Every check, in order; what failed, as sentences (empty when all passed)."""
    failures: list[str] = []
    failures.extend(_smoke_qt_language())
    failures.extend(_smoke_models())
    failures.extend(_smoke_sync())
    failures.extend(_smoke_session())
    return failures


def _smoke_qt_language() -> list[str]:
    """Qt's own Chinese (qtbase_zh_CN.qm) is in the bundle: dialogs say 确定, not OK."""
    from PySide6.QtWidgets import QDialogButtonBox

    from classroom_app.ui import qt_language

    loaded = qt_language.install("zh_CN")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    ok = box.buttons()[0].text()
    qt_language.install(i18n.language())
    print(f"smoke: Qt's Chinese {'loaded' if loaded else 'MISSING'}, OK reads {ok}", flush=True)
    return [] if loaded and ok == "确定" else ["Qt's Chinese translation is missing"]


def _smoke_models() -> list[str]:
    """The shipped models load (sha256 checked) and name a sample photo; problems listed."""
    from classroom_app.core import paths
    from classroom_app.core.vision.classifier import open_shipped
    from classroom_app.core.vision.model_files import ModelError
    from classroom_app.core.vision.pictures import read_picture

    problems = []
    for variant in ("int8", "fp32"):
        try:
            found = open_shipped(variant).classify(
                read_picture(paths.sample_images_dir() / "coffee.jpg"))
            print(f"smoke: {variant} coffee.jpg -> {found.best.label.en}", flush=True)
        except ModelError as error:
            print(f"smoke: {variant} failed: {error}", flush=True)
            problems.append(str(error))
    from classroom_app.core.hands.tracker import HandTracker

    for variant in ("lite", "full"):
        try:
            tracker = HandTracker.open(variant, video=False)
            hands = tracker.process(read_picture(paths.sample_images_dir() / "astronaut.jpg"))
            print(f"smoke: hands {variant} astronaut.jpg -> {len(hands)} hands, "
                  f"{tracker.palm_runs} palm runs", flush=True)
        except ModelError as error:
            print(f"smoke: hands {variant} failed: {error}", flush=True)
            problems.append(str(error))
    return problems


def _smoke_sync() -> list[str]:
    """The hub serves on loopback and takes a pushed statement; a USB file is signed
    and verified (the bundle carries http.server, orjson and cryptography)."""
    import tempfile
    from pathlib import Path

    from classroom_app.core import xapi
    from classroom_app.core.sync import keys
    from classroom_app.core.sync.lrs_client import LrsClient
    from classroom_app.hub.lrs import Lrs
    from classroom_app.hub.server import HubHttpServer
    from classroom_app.hub.storage import HubStorage

    with tempfile.TemporaryDirectory() as folder:
        lrs = Lrs(HubStorage.sqlite(Path(folder) / "hub.sqlite3"))
        enrolment = lrs.devices.add("smoke", "https://school.invalid/")
        server = HubHttpServer(lrs).start()
        try:
            statement = xapi.make_statement(
                xapi.actor("https://school.invalid/", "1"), "completed",
                xapi.experiment_activity("smoke", {"en": "smoke"}),
                xapi.demo_context(str(uuid.uuid4()), None, None))
            answer = LrsClient(server.url, enrolment.device.username, enrolment.password
                               ).post_statements(statement.text.encode())
        finally:
            server.stop()
    private = keys.new_private_key()
    signed = keys.verify(keys.public_key_text(private), b"smoke", keys.sign(private, b"smoke"))
    print(f"smoke: hub answered {answer.status}, signature checked {signed}", flush=True)
    return [] if answer.status == 200 and signed else [f"sync: hub {answer.status}, {signed}"]


def _smoke_session() -> list[str]:
    """A live session on loopback: WebRTC connects, video and a lesson command arrive
    (the bundle carries aiortc, PyAV's codecs and aiohttp)."""
    import asyncio

    import numpy as np

    from classroom_app.core.session.client import SessionClient
    from classroom_app.core.session.host import SessionHost
    from classroom_app.core.session.video import SessionFeed

    class Still:
        def read(self) -> np.ndarray:
            time.sleep(0.04)
            return np.full((480, 640, 3), 128, np.uint8)

        def close(self) -> None:
            pass

    async def run() -> tuple[int, int]:
        feed = SessionFeed(Still())
        host = SessionHost("smoke", feed=feed)
        url = await host.start("127.0.0.1", 0)
        client = SessionClient(url, host.code, "smoke")
        task = asyncio.ensure_future(client.run())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (client.stats.frames < 5
                                               or client.state.step != 2):
            if client.status == "connected" and host.state.step != 2:
                host.send("step", 2)
            await asyncio.sleep(0.05)
        await client.stop()
        await task
        await host.stop()
        feed.close()
        return client.stats.frames, client.state.step

    frames, step = asyncio.run(run())
    print(f"smoke: session {frames} frames, step {step}", flush=True)
    return [] if frames >= 5 and step == 2 else [f"session: {frames} frames, step {step}"]
