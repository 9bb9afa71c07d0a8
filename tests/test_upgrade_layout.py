"""The 19.0.1.1.0 pre-migration: the pro-forma reports take their
`action_report_*` ids in place, so the `noupdate` email templates that
attach them keep their attachment, and the old customers action frees the
URL path the worklist's action takes."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase
from odoo.tools import SQL

import odoo.addons.billing_followup as addon

MIGRATION = Path(addon.__file__).parent / "migrations/19.0.1.1.0/pre-migrate.py"


def load_migration():
    spec = importlib.util.spec_from_file_location("pre_migrate", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestUpgradeLayout(TransactionCase):
    def _rename(self, old, new):
        self.env.execute_query(
            SQL(
                """UPDATE ir_model_data SET name = %s
                    WHERE module = 'billing_followup' AND name = %s""",
                new,
                old,
            )
        )
        self.env.registry.clear_cache()

    def test_reports_keep_their_records_and_templates(self):
        contract_report = self.env.ref(
            "billing_followup.action_report_contract_proforma"
        )
        invoice_report = self.env.ref("billing_followup.action_report_invoice_proforma")
        # a 19.0.1.0.0 database: the reports under their old ids
        self._rename(
            "action_report_contract_proforma", "billing_contract_proforma_report"
        )
        self._rename(
            "action_report_invoice_proforma", "billing_invoice_proforma_report"
        )
        load_migration().migrate(self.env.cr, "19.0.1.0.0")
        self.env.registry.clear_cache()
        ref = self.env.ref
        self.assertEqual(
            ref("billing_followup.action_report_contract_proforma"), contract_report
        )
        self.assertEqual(
            ref("billing_followup.action_report_invoice_proforma"), invoice_report
        )
        template = ref("billing_followup.mail_template_contract_proforma")
        self.assertEqual(template.report_template_ids, contract_report)
        self.assertFalse(
            ref("billing_followup.billing_contract_proforma_report", False)
        )
