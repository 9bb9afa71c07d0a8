"""Two runs at the same time on two database cursors never both act."""

from datetime import date, timedelta

from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase


class TestTwoCursors(TransactionCase):
    """Runs on committed data of its own (created and removed here), since
    row locks only exist between real transactions."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        self.db = db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            env = env(context={"allowed_company_ids": company.ids})
            self.customer_id = (
                env["res.partner"]
                .create({"name": "Concurrent Ltd", "email": "ap@concurrent.example"})
                .id
            )
            # a Monday (the default sequence sends on weekdays), any real date
            self.run_date = date(2026, 3, 2)
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_id,
                    "invoice_date": self.run_date - timedelta(days=30),
                    "invoice_date_due": self.run_date - timedelta(days=2),
                    "invoice_line_ids": [
                        Command.create({"name": "Work", "price_unit": 90.0})
                    ],
                }
            )
            invoice.action_post()
            self.invoice_id = invoice.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            params = {"partner": self.customer_id, "move": self.invoice_id}
            cr.execute(
                "DELETE FROM mail_mail WHERE mail_message_id IN (SELECT id FROM "
                "mail_message WHERE model = 'res.partner' AND res_id = %(partner)s)",
                params,
            )
            cr.execute(
                "DELETE FROM mail_message WHERE (model = 'res.partner' AND "
                "res_id = %(partner)s) OR (model = 'account.move' AND "
                "res_id = %(move)s)",
                params,
            )
            cr.execute(
                "DELETE FROM billing_followup_event WHERE partner_id = %(partner)s",
                params,
            )
            cr.execute("DELETE FROM account_move WHERE id = %(move)s", params)
            cr.execute("DELETE FROM res_partner WHERE id = %(partner)s", params)

    def _run(self, cr):
        env = self._env(cr)
        company = env.ref("base.main_company")
        customer = env["res.partner"].browse(self.customer_id)
        return (
            env["billing.followup.engine"]
            .with_company(company)
            .with_context(allowed_company_ids=company.ids)
            ._run(date=self.run_date, partners=customer)
        )

    def _emails(self, cr):
        cr.execute(
            "SELECT count(*), count(mail_id) FROM billing_followup_event "
            "WHERE partner_id = %s AND kind = 'email'",
            [self.customer_id],
        )
        return cr.fetchone()

    def test_second_cursor_skips_the_locked_customer(self):
        cr_a, cr_b, cr_c = (self.db.cursor() for _i in range(3))
        try:
            counts_a = self._run(cr_a)
            self.assertEqual(counts_a.get("emails"), 1)
            # A has not committed: B skips the customer instead of waiting.
            counts_b = self._run(cr_b)
            self.assertEqual(counts_b.get("skipped_locked"), 1)
            self.assertFalse(counts_b.get("emails"))
            cr_b.rollback()
            # C's snapshot predates A's commit: it cannot see A's events.
            cr_c.execute("SELECT 1")
            cr_a.commit()
            counts_b = self._run(cr_b)
            self.assertFalse(counts_b.get("emails"), "B sees A's events now")
            cr_b.commit()
            # C cannot lock a customer changed since its snapshot: it skips
            # it as a conflict instead of failing the run.
            counts_c = self._run(cr_c)
            self.assertFalse(counts_c.get("emails"), counts_c)
            self.assertEqual(counts_c.get("skipped_conflict"), 1)
            cr_c.rollback()
        finally:
            for cr in (cr_a, cr_b, cr_c):
                cr.close()
        with self.db.cursor() as cr:
            self.assertEqual(self._emails(cr), (1, 1))
