"""Prints, as shell `export` lines, what endpoints.yml reads for Rasa's tracker and lock stores,
derived from the portal's own settings so that both agree without more configuration:

* tracker store: DATABASE_URL on PostgreSQL -> that database, schema `rasa` (the portal's chat
  migration creates it; its retention task deletes old events there); otherwise the SQLite file
  `$VAR_DIR/rasa-trackers.sqlite3` (VAR_DIR defaults to the repository's var/, as for the portal);
* lock store: REDIS_URL -> Redis (keys under `rasa:`; in memory while Redis is down, see
  stores/lock.py), otherwise in memory (one Rasa process).
"""

import os
import shlex
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")
SCHEMA = "rasa"
SQLITE_NAME = "rasa-trackers.sqlite3"
REPOSITORY = Path(__file__).resolve().parents[2]


def tracker_store(environ: dict[str, str]) -> dict[str, str]:
    database = urlsplit(environ.get("DATABASE_URL", ""))
    if database.scheme in POSTGRES_SCHEMES:
        url = database._replace(scheme="postgresql").geturl()
        # Rasa's default pool (50 + 100 overflow) would take every connection PostgreSQL allows.
        return {
            "RASA_TRACKER_STORE_URL": url,
            "POSTGRESQL_SCHEMA": SCHEMA,
            "POSTGRESQL_POOL_SIZE": "5",
            "POSTGRESQL_MAX_OVERFLOW": "10",
        }
    var_dir = Path(environ.get("VAR_DIR") or REPOSITORY / "var").resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    return {"RASA_TRACKER_STORE_URL": f"sqlite:///{var_dir / SQLITE_NAME}"}


def lock_store(environ: dict[str, str]) -> dict[str, str]:
    redis = urlsplit(environ.get("REDIS_URL", ""))
    if redis.scheme != "redis":
        return {
            "RASA_LOCK_STORE": "in_memory",
            "RASA_LOCK_STORE_HOST": "",
            "RASA_LOCK_STORE_PORT": "",
            "RASA_LOCK_STORE_DB": "",
            "RASA_LOCK_STORE_PASSWORD": "",
        }
    return {
        "RASA_LOCK_STORE": "stores.lock.RedisOrMemoryLockStore",
        "RASA_LOCK_STORE_HOST": redis.hostname or "localhost",
        "RASA_LOCK_STORE_PORT": str(redis.port or 6379),
        "RASA_LOCK_STORE_DB": redis.path.strip("/") or "0",
        "RASA_LOCK_STORE_PASSWORD": unquote(redis.password or ""),
    }


def main() -> None:
    environ = dict(os.environ)
    if environ.get("REDIS_URL", "").startswith("rediss://"):
        sys.exit("Rasa's Redis lock store is configured here for redis:// only; rediss:// is not supported")
    for name, value in {**tracker_store(environ), **lock_store(environ)}.items():
        print(f"export {name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
