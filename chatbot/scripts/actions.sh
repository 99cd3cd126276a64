#!/usr/bin/env bash
# Action server for the custom actions in actions/. `rasa run actions` has no
# --interface option; rasa-sdk reads the bind address from SANIC_HOST, so keep
# it on loopback unless the caller says otherwise. exec so signals reach it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"
# The portal the actions call over HTTP, with CHATBOT_API_KEY from the environment (under make run,
# honcho reads it from .env, where bin/setup wrote it). Links in replies use the address residents
# know: PORTAL_PUBLIC_URL, else the portal's SITE_URL, else its default (localhost).
export PORTAL_URL="${PORTAL_URL:-http://127.0.0.1:${WEB_PORT:-8000}}"
export PORTAL_PUBLIC_URL="${PORTAL_PUBLIC_URL:-${SITE_URL:-http://localhost:${WEB_PORT:-8000}}}"
exec rasa run actions -p "${ACTION_PORT:-5055}" --actions actions
