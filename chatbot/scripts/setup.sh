#!/usr/bin/env bash
# Create chatbot/.venv with Python 3.10 and install the pinned requirements,
# only when requirements*.txt changed since the last successful install.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

is_python310() {
  "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null
}

# A pyenv shim named python3.10 exists even when 3.10 is not the active
# version, so every candidate is run, not just looked up.
find_python310() {
  if [[ -n "${PYTHON310:-}" ]]; then
    is_python310 "$PYTHON310" && { echo "$PYTHON310"; return; }
    echo "PYTHON310=$PYTHON310 is not a Python 3.10 interpreter" >&2
    return 1
  fi
  if command -v python3.10 >/dev/null && is_python310 python3.10; then
    command -v python3.10
    return
  fi
  local pyenv_root candidate
  pyenv_root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  candidate="$(printf '%s\n' "$pyenv_root"/versions/3.10*/bin/python | sort -V | tail -n1)"
  if [[ -x "$candidate" ]] && is_python310 "$candidate"; then
    echo "$candidate"
    return
  fi
  echo 'Rasa 3.6 needs Python 3.10; install it (e.g. `pyenv install 3.10`) or set PYTHON310=/path/to/python3.10' >&2
  return 1
}

if [[ ! -x "$VENV_DIR/bin/python" ]] || ! is_python310 "$VENV_DIR/bin/python"; then
  python310="$(find_python310)"
  rm -rf "$VENV_DIR"
  "$python310" -m venv "$VENV_DIR"
fi

wanted="$(requirements_hash)"
if [[ "$(cat "$STAMP_FILE" 2>/dev/null)" == "$wanted" ]]; then
  echo "chatbot/.venv is up to date"
  exit 0
fi

echo "Installing chatbot requirements into chatbot/.venv (a fresh install takes ~2.5 min and 2.7 GB)"
"$VENV_DIR/bin/python" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
echo "$wanted" > "$STAMP_FILE"
echo "chatbot/.venv is ready"
