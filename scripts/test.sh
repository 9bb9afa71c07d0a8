#!/usr/bin/env bash
# The whole test suite: set-up, a fresh test database, pytest-odoo over tests/.
# Extra arguments go to pytest (make test ARGS="-k mail").
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh"
set_pgport  # the cluster may be new
db="${TEST_DB:-billing_followup_test}"
bash "$ROOT/scripts/prepare_db.sh" "$db"
say "Running the tests on $db"
cd "$ROOT"
set +e
"$PY" -m pytest tests --odoo-database="$db" --odoo-config="$ODOO_CONF" \
  --odoo-addons-path="$ADDONS_PATH" --odoo-http \
  --odoo-log-level=warn -p no:cacheprovider -rfEs "$@"
rc=$?
set -e
[ -n "${KEEP_TEST_DB:-}" ] || db_drop "$db"
exit $rc
