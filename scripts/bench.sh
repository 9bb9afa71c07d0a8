#!/usr/bin/env bash
# `make bench`: seconds and SQL queries of the daily run for N customers with
# 5 open invoices each (bench/bench_followup.py), on a fresh database without
# demo data. SIZES="1000 10000" by default; BENCH_DB= names the database,
# BENCH_ARGS="--no-fees" skips the fee-charging run.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh"
set_pgport  # the cluster may be new
db="${BENCH_DB:-billing_followup_bench}"
bash "$ROOT/scripts/prepare_db.sh" "$db" --without-demo
say "Measuring the daily run (sizes: ${SIZES:-1000 10000})"
# shellcheck disable=SC2086
"$PY" "$ROOT/bench/bench_followup.py" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
  -d "$db" --sizes ${SIZES:-1000 10000} ${BENCH_ARGS:-}
db_drop "$db"
