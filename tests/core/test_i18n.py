"""One translation mechanism: every string the code shows has a Chinese translation."""

from __future__ import annotations

import string

from classroom_app.core import i18n, paths
from classroom_app.core.i18n_scan import source_strings


def placeholders(text: str) -> set[str]:
    return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name}


def test_every_source_string_has_a_chinese_translation() -> None:
    found = source_strings(paths.package_dir())
    catalogue = i18n.catalogue("zh_CN")
    missing = {text: where for text, where in found.items() if not catalogue.get(text)}
    assert not missing, f"missing zh_CN translations: {missing}"


def test_translations_keep_their_placeholders_and_are_all_used() -> None:
    found = source_strings(paths.package_dir())
    catalogue = i18n.catalogue("zh_CN")
    for source, translation in catalogue.items():
        assert placeholders(source) == placeholders(translation), source
    assert not set(catalogue) - set(found), "translations for strings the code no longer has"


def test_switching_language() -> None:
    i18n.set_language("zh_CN")
    assert i18n.tr("Settings") == "设置"
    assert i18n.pick({"zh_CN": "你好", "en": "Hello"}) == "你好"
    i18n.set_language("en")
    assert i18n.tr("Settings") == "Settings"
    assert i18n.pick({"zh_CN": "你好", "en": "Hello"}) == "Hello"
    assert i18n.pick({"zh_CN": "只有中文"}) == "只有中文"
