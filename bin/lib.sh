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

# Starts a throw-away PostgreSQL and Redis for tests and benchmarks: start_services PG_PORT REDIS_PORT.
# Sets $services (their folder) and stops both when the calling script exits.
start_services() {
  local pg_port=$1 redis_port=$2
  services=$(mktemp -d /tmp/portal-services.XXXXXX)
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  trap stop_services EXIT
  [ "$(id -u)" -eq 0 ] && chown postgres "$services"
  step "Starting PostgreSQL (port $pg_port) and Redis (port $redis_port)"
  as_postgres "$pg_bin/initdb -D $services/pg -U portal -A trust --no-sync -E UTF8 --locale=C.UTF-8" >/dev/null \
    && as_postgres "$pg_bin/pg_ctl -D $services/pg -l $services/pg.log -w -o \"-p $pg_port -k $services -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300\" start" >/dev/null \
    && redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
         --pidfile "$services/redis.pid" --dir "$services" >/dev/null \
    || fail "could not start PostgreSQL or Redis (see $services)"
}
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
stop_services() {
  as_postgres "$pg_bin/pg_ctl -D $services/pg -m fast stop" >/dev/null 2>&1
  [ -f "$services/redis.pid" ] && kill "$(cat "$services/redis.pid")" 2>/dev/null
  rm -rf "$services"
}
