"""The one translation mechanism for core and UI.

Source strings are English and are wrapped in :func:`tr`; the Chinese catalogue
``classroom_app/translations/zh_CN.json`` maps each to its translation. Lesson content
carries its own languages and is picked with :func:`pick`. A test scans the code for
every ``tr("...")`` and fails when the catalogue lacks one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache

from classroom_app.core import paths

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
_state = {"language": DEFAULT_LANGUAGE}


@cache
def catalogue(language: str) -> dict[str, str]:
    """The translations for ``language`` (empty for English, the source language)."""
    if language == "en":
        return {}
    path = paths.package_dir() / "translations" / f"{language}.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def set_language(language: str) -> None:
    """Switch every later :func:`tr` and :func:`pick` to ``language``."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _state["language"] = language


@contextmanager
def using(language_: str) -> Iterator[None]:
    """Speak ``language_`` inside the block (a report in English for a Chinese UI)."""
    before = _state["language"]
    set_language(language_)
    try:
        yield
    finally:
        _state["language"] = before


def language() -> str:
    return _state["language"]


def tr(text: str) -> str:
    """``text`` in the current language; the English source if untranslated."""
    return catalogue(_state["language"]).get(text, text)


def pick(texts: Mapping[str, str]) -> str:
    """The current language's entry of a ``{language: text}`` mapping, else another."""
    current = _state["language"]
    if texts.get(current):
        return texts[current]
    for lang in LANGUAGES:
        if texts.get(lang):
            return texts[lang]
    return ""


def sentences(*parts: str) -> str:
    """Whole sentences one after another: Chinese runs them on (its full stop ends
    each), English puts a space between."""
    return ("" if _state["language"].startswith("zh") else " ").join(p for p in parts if p)
