#!/usr/bin/env bash
# Creates .build-venv (git-ignored) with the pinned Python test tools of scripts/python-requirements.txt. Tests find
# them at .build-venv/bin/. Does nothing when the venv already holds exactly these versions.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=scripts/python-requirements.txt
venv=.build-venv
stamp="$venv/.requirements"
if [[ -x "$venv/bin/python" ]] && cmp -s "$requirements" "$stamp"; then exit 0; fi
echo "installing Python test tools into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
