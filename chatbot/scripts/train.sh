#!/usr/bin/env bash
# Train only when the training inputs changed; print the model path on stdout.
# The model is named after a sha256 of every input file (sorted paths and
# contents), so an unchanged project reuses models/<hash>.tar.gz instantly.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
use_venv

# requirements.txt pins the Rasa version, which decides the model format; components/ holds
# the custom NLU components (the Korean tokenizer).
inputs=(config.yml requirements.txt data)
if [[ -d components ]]; then inputs+=(components); fi
if [[ -d domain ]]; then inputs+=(domain); else inputs+=(domain.yml); fi

hash="$(find "${inputs[@]}" -type f ! -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
model="models/$hash.tar.gz"

if [[ ! -f "$model" ]]; then
  # Fixed hash seeds and deterministic TF ops, with the random_seed values in
  # config.yml, make retraining reproducible.
  PYTHONHASHSEED=0 TF_DETERMINISTIC_OPS=1 \
    rasa train --fixed-model-name "$hash" --out models >&2
fi
find models -maxdepth 1 -type f -name '*.tar.gz' ! -name "$hash.tar.gz" -delete
echo "$CHATBOT_DIR/$model"
