"""The addon installs on a fresh production-like database (no demo data)
without a WARNING or ERROR line (scripts/prepare_db.sh checks the log) and
uninstalls leaving nothing behind."""

import os
import subprocess
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "billing_followup")])
module.button_immediate_uninstall()
"""


def _bash(command, **kwargs):
    return subprocess.run(
        ["bash", "-c", f"source scripts/lib.sh; {command}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


def _query(db, sql):
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
        cr.execute(sql)
        return cr.fetchall()


def test_install_then_uninstall_leaves_nothing():
    db = f"billing_followup_install_check_{os.getpid()}"
    try:
        install = _bash(f"bash scripts/prepare_db.sh {db} --without-demo")
        assert install.returncode == 0, install.stdout + install.stderr
        uninstall = _bash(
            '"$PY" -m odoo shell -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" '
            f"-d {db} --no-http --log-level=warn",
            input=UNINSTALL,
        )
        assert uninstall.returncode == 0, uninstall.stderr
        log_lines = [
            line
            for line in uninstall.stderr.splitlines()
            if " WARNING " in line or " ERROR " in line or " CRITICAL " in line
        ]
        assert not log_lines, "\n".join(log_lines)
        state = _query(
            db, "SELECT state FROM ir_module_module WHERE name = 'billing_followup'"
        )
        assert state == [("uninstalled",)]
        leftovers = _query(
            db,
            """
            SELECT 'model ' || model FROM ir_model WHERE model LIKE 'billing.%'
            UNION ALL
            SELECT 'xmlid ' || name FROM ir_model_data
             WHERE module = 'billing_followup'
            UNION ALL
            SELECT 'table ' || table_name FROM information_schema.tables
             WHERE table_name LIKE 'billing\\_%'
            UNION ALL
            SELECT 'column ' || table_name || '.' || column_name
              FROM information_schema.columns WHERE column_name LIKE 'billing\\_%'
            UNION ALL
            SELECT 'field ' || model || '.' || name FROM ir_model_fields
             WHERE name LIKE 'billing\\_%'
            """,
        )
        assert leftovers == []
    finally:
        _bash(f"db_drop {db}")
