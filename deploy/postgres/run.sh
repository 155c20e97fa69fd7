#!/bin/sh
# Makes the cluster on first start, then runs PostgreSQL in the foreground
# with durability on and nothing logged that could date or place an answer
# (docs/threat-model.md, "Someone with the PostgreSQL server").
set -eu
bin=/usr/lib/postgresql/15/bin
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	: "${PGPASSWORD:?set PGPASSWORD: the youthvoice role's password}"
	pw=$(mktemp)
	printf '%s\n' "$PGPASSWORD" >"$pw"
	"$bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
		--auth-local=peer --auth-host=scram-sha-256 >/dev/null
	printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
	# Set up on a socket of its own, so that the health check (on
	# /run/postgresql) passes only once the real server runs.
	sock=$(mktemp -d)
	"$bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses='' -k $sock" -w start >/dev/null
	"$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d postgres \
		-v pw="$(cat "$pw")" <<'SQL'
CREATE ROLE youthvoice LOGIN PASSWORD :'pw';
CREATE DATABASE youthvoice OWNER youthvoice;
SQL
	rm -f "$pw"
	"$bin/pg_ctl" -D "$PGDATA" -w stop >/dev/null
	rmdir "$sock"
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' \
	-c fsync=on -c synchronous_commit=on -c wal_recycle=off -c archive_mode=off \
	-c log_connections=off -c log_disconnections=off -c log_hostname=off \
	-c log_statement=none -c log_min_duration_statement=-1 \
	-c log_parameter_max_length_on_error=0 -c track_commit_timestamp=off
