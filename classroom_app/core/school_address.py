"""The school's web address, which names its pupils in every record it sends.

xAPI identifies a learner by an account: the school's home page and the student
number. A school that starts offline may not know or want to give its address yet:
its records then carry :data:`UNADDRESSED`, never a made-up address, and nothing is
sent until the address is set. Setting or changing it re-addresses every record that
has never left this PC (not acknowledged by a hub, not written to a USB file), so
nothing recorded before becomes unsyncable; records a hub or a USB file already holds
are never changed, since the hub knows them by id and content.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from classroom_app.core.i18n import tr
from classroom_app.core.store import Store

# What records carry while the school has no address (never sent anywhere).
UNADDRESSED = "urn:ai-classroom:school-address-not-set"
# What versions before 0.2 wrote when the school had not set its address.
OLD_PLACEHOLDER = "https://school.invalid/"
# Names reserved never to be real (RFC 2606).
_NOT_REAL = (".invalid", ".example", ".test", ".localhost", "example.com", "example.org",
             "example.net")


def problem_with(address: str) -> str | None:
    """Why ``address`` cannot be the school's web address, or None if it can."""
    parts = urlsplit(address.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return tr("The web address must start with http:// or https://.")
    host = parts.hostname.lower()
    if "." not in host or host.endswith(_NOT_REAL) or host in _NOT_REAL:
        return tr("'{address}' is not a real web address: use the school's own, e.g. "
                  "https://www.school-name.edu.cn/").format(address=address.strip())
    return None


def is_set(address: str) -> bool:
    return bool(address) and address not in (UNADDRESSED, OLD_PLACEHOLDER)


def record_address(address: str) -> str:
    """The home page new records carry: the school's, or :data:`UNADDRESSED`."""
    return address if is_set(address) else UNADDRESSED


def _readdress(value: Any, address: str) -> Any:
    """``value`` with every account's home page set to ``address``."""
    if isinstance(value, dict):
        changed = {key: _readdress(item, address) for key, item in value.items()}
        account = changed.get("account")
        if isinstance(account, dict) and "homePage" in account:
            changed["account"] = {**account, "homePage": address}
        return changed
    if isinstance(value, list):
        return [_readdress(item, address) for item in value]
    return value


# An account as the app writes statements (canonical JSON: keys sorted, no spaces).
_ACCOUNT = re.compile(r'("account":\{"homePage":")((?:[^"\\]|\\.)*)(")')


def readdressed(text: str, address: str) -> str | None:
    """The statement with its accounts on ``address``; None if nothing changes (or it
    cannot be read). Statements the app wrote are changed in their text, quickly (a
    year offline is tens of thousands); any other is parsed and written anew."""
    escaped = json.dumps(address, ensure_ascii=False)[1:-1]
    found = _ACCOUNT.findall(text)
    if found and len(found) == text.count('"homePage"'):
        if all(value == escaped for _, value, _ in found):
            return None
        return _ACCOUNT.sub(lambda m: m.group(1) + escaped + m.group(3), text)
    try:
        data = json.loads(text)
    except ValueError:
        return None
    new = json.dumps(_readdress(data, address), ensure_ascii=False, sort_keys=True,
                     separators=(",", ":"))
    return new if new != json.dumps(data, ensure_ascii=False, sort_keys=True,
                                    separators=(",", ":")) else None


def readdress(store: Store, address: str) -> int:
    """Give every record that never left this PC the school's ``address`` (refusals
    cleared, so they are sent again). Returns how many changed; all or none do."""
    changes = [(statement_id, new) for statement_id, text in store.statements_on_this_pc()
               if (new := readdressed(text, address)) is not None]
    store.rewrite_statements(changes)
    return len(changes)


def refused_elsewhere(store: Store, address: str) -> int:
    """How many refused records name another school address than ``address``."""
    return sum(1 for row in store.rejected_statements()
               if readdressed(row["statement"], address) is not None)


_HUB_SCHOOL = re.compile(r"learners with an account on ([^\s\"']+)")


def hub_expects(store: Store) -> str | None:
    """The school address our hub said these credentials write for, when it refused a
    record for naming another (its 403 says so)."""
    for row in store.rejected_statements():
        found = _HUB_SCHOOL.search(row["rejected"] or "")
        if found:
            return found.group(1)
    return None
