"""The demo catalog, the school's "AI application shelf".

Each demo is a folder under ``classroom_app/demos`` with a ``manifest.toml`` (id,
titles, stages, whether it needs a camera, and the ``module:attribute`` of its view).
A camera demo also says what it ``needs`` in view (told to a class without a camera),
its ``samples`` (a file or folder under ``assets/samples`` that shows it working), and
whether it ``collects_from_folders`` (it is usable with no picture at all). Its
``[params.NAME]`` tables declare what a lesson step may set (:mod:`demo_params`).
The catalog reads only the manifests; the UI imports a demo's code when it is opened.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from classroom_app.core import paths
from classroom_app.core.demo_params import ParamSpec, parse_specs
from classroom_app.core.i18n import LANGUAGES, tr


@dataclass(frozen=True)
class DemoManifest:
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    stages: tuple[str, ...]
    needs_camera: bool
    entry_point: str
    folder: Path
    needs: dict[str, str] = field(default_factory=dict)  # what must be in view, per language
    samples: str = ""  # relative to assets/samples; "" when none suit the demo
    collects_from_folders: bool = False
    params: dict[str, ParamSpec] = field(default_factory=dict)  # what a lesson may set

    def sample_path(self) -> Path | None:
        """The shipped sample file or folder for this demo, if it has one."""
        return paths.sample_images_dir() / self.samples if self.samples else None


@dataclass(frozen=True)
class DemoCatalog:
    demos: tuple[DemoManifest, ...]
    problems: tuple[str, ...]

    def ids(self) -> list[str]:
        return [demo.id for demo in self.demos]

    def known(self) -> dict[str, dict[str, ParamSpec]]:
        """What a lesson pack is checked against: each demo id, with the parameters it
        declares."""
        return {demo.id: demo.params for demo in self.demos}

    def get(self, demo_id: str) -> DemoManifest | None:
        return next((d for d in self.demos if d.id == demo_id), None)


def _manifest(folder: Path) -> DemoManifest:
    data = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    for key in ("title", "summary"):
        if not all(data.get(key, {}).get(lang) for lang in LANGUAGES):
            raise ValueError(f"{key} lacks a language")
    entry = data["entry_point"]
    if ":" not in entry:
        raise ValueError("entry_point must be module:attribute")
    needs = data.get("needs", {})
    if needs and not all(needs.get(lang) for lang in LANGUAGES):
        raise ValueError("needs lacks a language")
    return DemoManifest(data["id"], data["title"], data["summary"], tuple(data["stages"]),
                        bool(data["needs_camera"]), entry, folder, dict(needs),
                        str(data.get("samples", "")),
                        bool(data.get("collects_from_folders", False)),
                        parse_specs(data.get("params")))


def load_catalog(root: Path | None = None) -> DemoCatalog:
    """Every demo whose manifest reads; a bad manifest is reported, not raised."""
    root = root or paths.package_dir() / "demos"
    demos, problems = [], []
    for folder in sorted(p for p in root.iterdir() if (p / "manifest.toml").is_file()):
        try:
            demos.append(_manifest(folder))
        except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
            problems.append(tr("Demo '{name}' has a broken manifest: {error}")
                            .format(name=folder.name, error=error))
    return DemoCatalog(tuple(demos), tuple(problems))
