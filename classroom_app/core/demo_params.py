"""The parameters a demo declares in its manifest, and the check of a lesson step's values.

A manifest declares each parameter a lesson may set as a ``[params.NAME]`` table:

``type``
    ``int`` or ``number`` (with ``min`` and ``max``), ``choice`` (one of ``values``),
    ``choices`` (a list of ``values``), ``names`` (a list of text, at most ``max``) or
    ``bool``.
``default``
    what the demo uses when a lesson does not say.
``pupils_see``
    the value is shown to pupils, so a lesson gives it per language
    (``{ zh_CN = ..., en = ... }``), each language's value checked.
``about``
    one line for lesson authors (``lessons/FORMAT.md`` lists them).

The lesson validator checks every demo step against this when a pack loads, so that
``hands = "two"`` is refused at import with its file and line, not found in front of a
class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classroom_app.core.i18n import tr

TYPES = ("int", "number", "bool", "choice", "choices", "names")


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    about: str = ""
    default: Any = None
    values: tuple[str, ...] = ()
    least: float | None = None
    most: float | None = None
    pupils_see: bool = False

    def describe(self) -> str:
        """The allowed values in a few words, for problems and for FORMAT.md."""
        if self.type in ("choice", "choices"):
            return ", ".join(self.values)
        if self.type == "names":
            return f"up to {_num(self.most)} names" if self.most is not None else "names"
        if self.type in ("int", "number") and self.least is not None and self.most is not None:
            return f"{_num(self.least)} to {_num(self.most)}"
        return self.type


def parse_specs(data: Any) -> dict[str, ParamSpec]:
    """The ``[params.*]`` tables of a manifest; ValueError names what is wrong."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("params must be tables")
    specs = {}
    for name, table in data.items():
        if not isinstance(table, dict) or table.get("type") not in TYPES:
            raise ValueError(f"params.{name} needs a type: {', '.join(TYPES)}")
        spec = ParamSpec(name, table["type"], str(table.get("about", "")),
                         table.get("default"), tuple(str(v) for v in table.get("values", ())),
                         table.get("min"), table.get("max"), bool(table.get("pupils_see")))
        if spec.type in ("choice", "choices") and not spec.values:
            raise ValueError(f"params.{name} lists no values")
        if spec.default is not None and problem(spec, spec.default):
            raise ValueError(f"params.{name}: the default is not allowed")
        specs[name] = spec
    return specs


def problem(spec: ParamSpec, value: Any) -> str | None:
    """Why ``value`` (one language's, for a parameter pupils see) does not fit ``spec``."""
    wrong = tr("Parameter '{name}' must be {what}.")
    if spec.type == "bool":
        return None if isinstance(value, bool) else wrong.format(name=spec.name,
                                                                 what=tr("true or false"))
    if spec.type in ("int", "number"):
        return _number_problem(spec, value)
    if spec.type == "choice":
        return None if value in spec.values else tr(
            "Parameter '{name}' must be one of: {values}.").format(
            name=spec.name, values=", ".join(spec.values))
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return wrong.format(name=spec.name, what=tr("a list of words in quotes"))
    if spec.type == "choices":
        unknown = [v for v in value if v not in spec.values]
        return tr("Parameter '{name}' has '{value}', not one of: {values}.").format(
            name=spec.name, value=unknown[0], values=", ".join(spec.values)) if unknown else None
    if spec.most is not None and len(value) > spec.most:
        return tr("Parameter '{name}' has {count} names; the demo takes at most {most}.").format(
            name=spec.name, count=len(value), most=_num(spec.most))
    return None


def _number_problem(spec: ParamSpec, value: Any) -> str | None:
    whole = spec.type == "int"
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        what = tr("a whole number") if whole else tr("a number")
        return tr("Parameter '{name}' must be {what}.").format(name=spec.name, what=what)
    if (spec.least is not None and value < spec.least) or \
            (spec.most is not None and value > spec.most):
        return tr("Parameter '{name}' must be from {least} to {most}.").format(
            name=spec.name, least=_num(spec.least), most=_num(spec.most))
    return None


def _num(value: float | None) -> str:
    """3 for 3.0, 0.3 for 0.3; no exponent for a big whole number."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def params_markdown(declared: dict[str, dict[str, ParamSpec]]) -> str:
    """The table of every demo's parameters for ``lessons/FORMAT.md``."""
    lines = ["| demo | parameter | type | allowed | default | pupils see | what it does |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for demo, specs in sorted(declared.items()):
        for spec in specs.values():
            default = "" if spec.default is None else f"`{spec.default}`"
            lines.append(f"| `{demo}` | `{spec.name}` | {spec.type} | {spec.describe()} | "
                         f"{default} | {'yes, per language' if spec.pupils_see else ''} | "
                         f"{spec.about} |")
    return "\n".join(lines) + "\n"
