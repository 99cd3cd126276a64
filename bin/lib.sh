# Shared helpers for bin/setup, bin/run and bin/test. Sourced, not run.

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Whether the files given changed since the stamp was written: stamp_changed STAMP FILE...
stamp_changed() {
  local stamp=$1; shift
  local sum; sum=$(cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1)
  [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]
}
stamp_write() {
  local stamp=$1; shift
  cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1 > "$stamp"
}

# Installs the Debian packages that are missing, and only those.
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "Debian packages ${missing[*]} are missing; install them as root."
    sudo="sudo"
  fi
  step "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python311() {
  if command -v python3.11 >/dev/null; then command -v python3.11; return; fi
  local pyenv_root; pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  local candidate; candidate=$(ls -d "$pyenv_root"/versions/3.11*/bin/python 2>/dev/null | sort -V | tail -n1)
  [ -n "$candidate" ] && { echo "$candidate"; return; }
  fail "The portal needs Python 3.11; install it (e.g. 'pyenv install 3.11') or put python3.11 on PATH."
}
