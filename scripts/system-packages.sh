#!/usr/bin/env bash
# Debian packages the app needs beyond Python: Qt's X11 platform libraries to show a
# window, Noto CJK so Chinese renders, and Xvfb for screenshots on a machine without
# a screen; more packages may be named as arguments (`make conformance` adds nodejs and
# npm). Installs what is missing when it can (root or password-less sudo);
# otherwise prints the command for an administrator and carries on.
set -u
packages=(fonts-noto-cjk libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          libxcb-render-util0 libxcb-image0 libxkbcommon-x11-0 libegl1 libgl1 xvfb "$@")
command -v dpkg-query >/dev/null 2>&1 || { echo "system-packages: not a Debian system, skipped"; exit 0; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""
elif sudo -n true 2>/dev/null; then sudo="sudo -n"
else
  echo "system-packages: please ask an administrator to run:"
  echo "  sudo apt-get install -y ${missing[*]}"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
  || echo "system-packages: could not install ${missing[*]} (without fonts-noto-cjk the app may not show Chinese text)"
