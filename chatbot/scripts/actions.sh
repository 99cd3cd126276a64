#!/usr/bin/env bash
# Action server for the custom actions in actions/. `rasa run actions` has no
# --interface option; rasa-sdk reads the bind address from SANIC_HOST, so keep
# it on loopback unless the caller says otherwise. exec so signals reach it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"
exec rasa run actions -p "${ACTION_PORT:-5055}" --actions actions
