#!/usr/bin/env bash
# `make demo`: set-up, the demo database (created once, addon kept up to
# date), one daily follow-up run with its summary, then Odoo on 127.0.0.1.
source "$(dirname "$0")/lib.sh"
db="${DEMO_DB:-billing_followup_demo}"
port="${PORT:-8069}"
bash "$ROOT/scripts/setup.sh"
set_pgport  # the cluster may be new
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "port $port is busy (another Odoo?): stop it, or run: make demo PORT=8070"
fi
log="$LOG_DIR/demo.log"
if ! db_exists "$db"; then
  say "Creating the demo database $db (Odoo, billing_followup and demo data; about a minute)"
  odoo -d "$db" -i billing_followup,payment_demo --with-demo --stop-after-init >"$log" 2>&1 \
    || fail "could not create $db; see $log"
else
  say "Updating billing_followup in $db"
  odoo -d "$db" -u billing_followup -i payment_demo --stop-after-init >"$log" 2>&1 \
    || fail "could not update billing_followup in $db; see $log"
fi
say "Running the daily follow-up once"
"$PY" -m odoo shell -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" -d "$db" \
  --no-http --log-level=warn \
  <"$ROOT/scripts/demo_run.py" 2>>"$log" | grep -v '^$' \
  || fail "the daily follow-up failed; see $log"
say "Odoo serves $db on http://127.0.0.1:$port (login admin / admin); Ctrl-C stops it"
exec "$PY" -m odoo -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" -d "$db" --db-filter="^$db\$" --http-port="$port"
