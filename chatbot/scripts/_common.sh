# Sourced by the chatbot scripts: run from the chatbot directory, keep Rasa quiet
# and non-interactive, and share the requirements stamp with setup.sh.

CHATBOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$CHATBOT_DIR"

VENV_DIR="$CHATBOT_DIR/.venv"
STAMP_FILE="$VENV_DIR/.requirements.sha256"

export RASA_TELEMETRY_ENABLED=false
# endpoints.yml reads the action server address from here; it follows ACTION_PORT.
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT:-5055}/webhook}"
export PIP_NO_INPUT=1
export TF_CPP_MIN_LOG_LEVEL=2
# Rasa 3.6 pins SQLAlchemy 1.4; its "not compatible with 2.0" banner is noise.
export SQLALCHEMY_SILENCE_UBER_WARNING=1

requirements_hash() {
  cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1
}

# Put the venv on PATH, refusing to run against a missing or outdated install.
use_venv() {
  if [[ ! -x "$VENV_DIR/bin/rasa" || "$(cat "$STAMP_FILE" 2>/dev/null)" != "$(requirements_hash)" ]]; then
    echo "chatbot/.venv is missing or out of date; run chatbot/scripts/setup.sh first" >&2
    exit 1
  fi
  export PATH="$VENV_DIR/bin:$PATH"
}
