#!/usr/bin/env bash
# Validate the data, train (if needed), then test dialogue, held-out NLU and the
# custom actions. Stops at the first failure; reports go to chatbot/results/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv

min_accuracy=0.9
rm -rf results

echo "== rasa data validate --fail-on-warnings"
rasa data validate --fail-on-warnings

echo "== train"
model="$(scripts/train.sh)"
echo "$model"

echo "== rasa test core (tests/test_stories.yml)"
rasa test core --stories tests/test_stories.yml --model "$model" \
  --out results/core --fail-on-prediction-errors

echo "== rasa test nlu (tests/nlu_heldout.yml)"
rasa test nlu --nlu tests/nlu_heldout.yml --model "$model" --out results/nlu
python - "$min_accuracy" <<'PY'
import json
import sys

minimum = float(sys.argv[1])
accuracy = json.load(open("results/nlu/intent_report.json"))["accuracy"]
print(f"held-out intent accuracy: {accuracy:.3f} (minimum {minimum})")
sys.exit(accuracy < minimum)
PY

echo "== pytest (actions)"
python -m pytest -q tests
