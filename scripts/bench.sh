#!/usr/bin/env bash
# `make bench`: seconds and SQL queries of the daily run for N customers with
# 5 open invoices each (bench/bench_followup.py), on a fresh database without
# demo data. SIZES="1000 10000" by default; ROWS= some rows only (nothing,
# remind, analytics, fee); BENCH_DB= names the database; BENCH_ARGS= more
# arguments ("--no-fees" skips the fee-charging run).
# COMPARE=<git rev> measures that revision's addon first, with the same bench
# script, on the same machine, in the same run (its worktree is kept in
# .odoo/bench-old-<checkout>), so that old and new figures sit side by side.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh"
set_pgport  # the cluster may be new
db=${BENCH_DB:-billing_followup_bench}
sizes=${SIZES:-1000 10000}
rows=${ROWS:-nothing remind analytics fee}

measure() {  # measure <addon tree> <database> <label>
  bash "$1/scripts/prepare_db.sh" "$2" --without-demo
  say "Measuring the daily run of $3 (sizes: $sizes)"
  # shellcheck disable=SC2086
  "$PY" "$ROOT/bench/bench_followup.py" -c "$ODOO_CONF" \
    --addons-path="$ODOO_ADDONS,$1" -d "$2" --sizes $sizes --rows $rows \
    ${BENCH_ARGS:-}
  db_drop "$2"
}

if [ -n "${COMPARE:-}" ]; then
  old="$ODOO_HOME/bench-old-$(basename "$ROOT")"
  [ -d "$old" ] || git -C "$ROOT" worktree add --detach "$old" "$COMPARE"
  git -C "$old" checkout --quiet --detach "$COMPARE"
  ln -sfn "$ODOO_HOME" "$old/.odoo"
  ln -sfn "$VENV" "$old/.venv"
  measure "$old" "${db}_old" "$(git -C "$old" log -1 --format='%h %cs')"
fi
measure "$ROOT" "$db" "$(git -C "$ROOT" log -1 --format='%h %cs')"
