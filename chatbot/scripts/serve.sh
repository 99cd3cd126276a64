#!/usr/bin/env bash
# Rasa server on loopback (the portal relays to it): the REST channel and the HTTP API, both
# refusing requests without RASA_AUTH_TOKEN (`?token=`); the portal calls /webhooks/rest/webhook,
# /model/parse (triage) and /status (readiness), which need --enable-api. The tracker and lock
# stores follow DATABASE_URL / REDIS_URL (scripts/store_env.py). exec so SIGINT/SIGTERM from a
# process manager reach Rasa itself.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv
if [[ -z "${RASA_AUTH_TOKEN:-}" ]]; then
  echo "RASA_AUTH_TOKEN is not set: bin/setup writes one to .env (bin/run passes it on), or export the portal's" >&2
  exit 1
fi
eval "$(python scripts/store_env.py)"
# The token is added inside the process: on the command line every local user could read it (ps).
exec python -c 'import os, sys; from rasa.__main__ import main
# One argument with "=": a token may begin with "-", which argparse would take for an option.
sys.argv = ["rasa", *sys.argv[1:], "--auth-token=" + os.environ["RASA_AUTH_TOKEN"]]
main()' run --enable-api -i 127.0.0.1 -p "${RASA_PORT:-5005}" \
  --model models --endpoints endpoints.yml --credentials credentials.yml
