#!/usr/bin/env bash
# Ralph (ralph-malph, France Université Numérique), a second, independent LRS that
# tests/core/test_sync_ralph.py pushes our outbox to. It cannot share the project venv
# (it pins fastapi, starlette, uvicorn, click...), so it lives in .venv-ralph in the
# repository root. Creates or refreshes that venv when it is missing or its pins changed
# (the stamp .venv-ralph/.installed holds the pins it was made from); otherwise does
# nothing. Never touches .venv.
#
# Pins: ralph-malph 5.1.0 with the extras for its LRS server (lrs) and its `ralph`
# command (cli: `ralph runserver`, `ralph auth`); [lrs] alone gives a `ralph` that dies
# on `import click_option_group`. requests is not declared by either extra but
# ralph.api.auth.oidc imports it, so the server does not start without it. The rest is
# everything pip resolved for these on Python 3.11, pinned so that CI gets the same and
# installed with --no-deps (no resolver round: about a third faster); `pip check`
# then fails the script if the list ever misses a dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
VENV=.venv-ralph
STAMP="$VENV/.installed"

read -r -d '' PINS <<'EOF' || true
ralph-malph[cli,lrs]==5.1.0
requests==2.34.2
annotated-types==0.8.0
anyio==4.16.0
bcrypt==4.2.0
cachetools==5.5.0
certifi==2026.10.18
charset-normalizer==3.5.2
click==8.2.0
click-option-group==0.5.9
dnspython==2.9.2
ecdsa==0.19.2
email-validator==2.4.0
fastapi==0.114.2
h11==0.16.0
httpcore==1.0.9
httptools==0.9.0
httpx==0.28.1
idna==3.20
importlib-metadata==8.5.0
langcodes==3.5.1
pyasn1==0.6.5
pydantic==2.14.3
pydantic-core==2.50.4
pydantic-settings==2.16.3
python-dotenv==1.2.4
python-jose==3.3.0
pyyaml==6.0.3
rfc3987==1.3.8
rsa==4.9.1
sentry-sdk==2.14.0
six==1.17.0
starlette==0.38.6
typing-extensions==4.16.0
typing-inspection==0.4.5
urllib3==2.8.0
uvicorn==0.30.6
uvloop==0.23.0
watchfiles==1.3.0
websockets==17.4
zipp==4.1.2
EOF
WANTED="$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')
$PINS"

if [ -x "$VENV/bin/ralph" ] && "$VENV/bin/python" -c "" 2>/dev/null \
   && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANTED" ]; then
  exit 0
fi
echo "ralph-venv: installing ralph-malph 5.1.0 into $VENV" >&2
rm -rf "$VENV"
requirements="$(mktemp)"
finished=0
# A venv left half made (no network, a failed wheel) is removed: no test runs against it.
trap 'rm -f "$requirements"; [ "$finished" = 1 ] || rm -rf "$VENV"' EXIT
printf '%s\n' "$PINS" >"$requirements"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --disable-pip-version-check --no-input --no-deps -q -r "$requirements"
check="$("$VENV/bin/pip" check --disable-pip-version-check)" || { echo "$check" >&2; exit 1; }
printf '%s' "$WANTED" >"$STAMP"
finished=1
