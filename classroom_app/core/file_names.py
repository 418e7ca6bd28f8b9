"""Names for the files the app suggests when it exports: in the UI's language and safe
on every system a school uses (Windows forbids \\ / : * ? " < > | in names)."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(*parts: str, suffix: str = "") -> str:
    """``parts`` joined by "-", each stripped of characters no system allows, e.g.
    ``file_name("四(2)班", "2026秋季学期", suffix=".csv")`` → "四(2)班-2026秋季学期.csv"."""
    cleaned = [_FORBIDDEN.sub("-", part).strip(" .-") for part in parts]
    stem = "-".join(part for part in cleaned if part) or "export"
    return stem[:120] + suffix
