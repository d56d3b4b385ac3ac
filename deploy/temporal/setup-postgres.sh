#!/bin/sh
# Temporal's own databases on PostgreSQL: create them if missing, then bring their schemas to the version this
# admin-tools image ships. Safe to run on every `docker compose up`: an existing database is kept, `setup-schema`
# skips a schema that is already versioned, and `update-schema` applies only the versions still missing — which is
# also how a Temporal upgrade migrates the schema (bump the image tags together, see docs/deploy.md).
# `npm run cluster` (scripts/cluster.ts) runs this same script on the host, with the schema tool built from the same
# Temporal release on PATH and TEMPORAL_SCHEMA_ROOT pointing at that release's schema files.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
DB_PORT="${DB_PORT:-5432}"
SCHEMA_ROOT="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"
}

create_database() {
  if output=$(sql_tool --db "$1" create 2>&1); then
    echo "created database $1"
  elif echo "$output" | grep -qi 'already exists'; then
    echo "database $1 already exists"
  else
    echo "$output" >&2
    return 1
  fi
}

# (A host without nc — npm run cluster waits for PostgreSQL itself before it runs this — skips the wait.)
if command -v nc >/dev/null 2>&1; then
  echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"
  attempt=0
  until nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"; do
    attempt=$((attempt + 1))
    [ "$attempt" -lt 30 ] || { echo "PostgreSQL did not answer" >&2; exit 1; }
    sleep 2
  done
fi

create_database temporal
sql_tool --db temporal setup-schema -v 0.0
sql_tool --db temporal update-schema -d "$SCHEMA_ROOT/temporal/versioned"

create_database temporal_visibility
sql_tool --db temporal_visibility setup-schema -v 0.0
sql_tool --db temporal_visibility update-schema -d "$SCHEMA_ROOT/visibility/versioned"

echo "Temporal schemas are up to date"
