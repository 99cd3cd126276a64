#!/usr/bin/env bash
# Rasa server with the REST channel and HTTP API on loopback (the portal proxies
# it). exec so SIGINT/SIGTERM from a process manager reach Rasa itself.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv
exec rasa run --enable-api -i 127.0.0.1 -p "${RASA_PORT:-5005}" \
  --model models --endpoints endpoints.yml --credentials credentials.yml
