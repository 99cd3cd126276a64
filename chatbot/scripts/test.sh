#!/usr/bin/env bash
# Validate the data, train (if needed), then test dialogue, held-out NLU (fails
# under macro-F1 0.90) and the custom actions. Stops at the first failure;
# reports go to chatbot/results/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv

# Held-out NLU gate: macro-F1 over the intents (rasa test nlu scores the classifier's own answer,
# before the FallbackClassifier).
min_macro_f1=0.90
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
python - "$min_macro_f1" <<'PY'
import json
import sys

minimum = float(sys.argv[1])
report = json.load(open("results/nlu/intent_report.json"))
macro_f1 = report["macro avg"]["f1-score"]
print(f"held-out NLU: {report['macro avg']['support']} examples, intent accuracy {report['accuracy']:.3f}, "
      f"macro-F1 {macro_f1:.3f} (minimum {minimum})")
sys.exit(macro_f1 < minimum)
PY

echo "== pytest (actions)"
python -m pytest -q tests
