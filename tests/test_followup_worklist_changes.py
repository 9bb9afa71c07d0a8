"""The run rewrites only the worklist rows that may read otherwise: an input
of the customer changed since the row was written, the settings changed, or
a date its content depends on came. The rows it keeps are still exact: each
test compares them with a full refresh."""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tools import SQL

from odoo.addons.billing_followup.models.billing_followup_worklist_refresh import (
    REFRESHED_COLUMNS,
)

from .followup_common import FollowupEngineCommon, day

# What the rows read; `_age` makes it older than the rows.
INPUT_TABLES = (
    "account_move_line",
    "account_move",
    "billing_followup_event",
    "billing_followup_promise",
    "res_partner",
)
SETTINGS_TABLES = ("billing_followup_sequence", "billing_followup_step", "res_company")
# What a row shows (not when it was computed, nor what it was computed with).
COLUMNS = tuple(
    name
    for name in REFRESHED_COLUMNS[2:]
    if name not in ("refresh_date", "valid_until", "config_key")
)


class TestWorklistChanges(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Worklist = cls.env["billing.followup.worklist"]
        cls.late, cls.early = cls.env["res.partner"].create(
            [
                {"name": "Late payer", "email": "late@payer.example"},
                {"name": "Early payer", "email": "early@payer.example"},
            ]
        )
        cls.customers = cls.late | cls.early
        cls.late_invoice = cls._invoice(cls.late, 900.0, day(-40), day(-2))
        cls.early_invoice = cls._invoice(cls.early, 100.0, day(-10), day(20))

    def setUp(self):
        super().setUp()
        self._age(SETTINGS_TABLES)

    def _age(self, tables=INPUT_TABLES):
        """What the rows read was written two days before the run."""
        self.env.flush_all()
        for table in tables:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = write_date - interval '2 days'",
                    SQL.identifier(table),
                )
            )
        self.env.invalidate_all()

    @contextmanager
    def _rewritten(self):
        """Yields the list of the (customer, company) rows rewritten inside."""
        Worklist = type(self.Worklist)
        refresh = Worklist._refresh
        rewritten = []

        def spy(worklist, keys, *args, **kwargs):
            rewritten.extend(keys)
            return refresh(worklist, keys, *args, **kwargs)

        with patch.object(Worklist, "_refresh", spy):
            yield rewritten

    def _run_spied(self, on, partners=None):
        """Run the engine on `on`; returns the customers whose rows it
        rewrote."""
        with self._rewritten() as rewritten:
            self.engine._run(date=on, partners=partners or self.customers)
        return self.env["res.partner"].browse(sorted({p for p, _c in rewritten}))

    def _values(self, partners=None):
        rows = self.Worklist.search(
            [("partner_id", "in", (partners or self.customers).ids)]
        )
        rows.invalidate_recordset()
        return {row.partner_id: [row[name] for name in COLUMNS] for row in rows}

    def _assert_exact(self, on, partners=None):
        """The rows read as a full refresh on `on` writes them."""
        partners = partners or self.customers
        kept = self._values(partners)
        self.Worklist._refresh_all(on, partners)
        self.assertEqual(kept, self._values(partners))

    def test_a_quiet_day_rewrites_no_row_and_days_late_grow(self):
        self._run_spied(day(0))
        self._age()
        self.assertFalse(self._run_spied(day(1)))
        late = self.Worklist.search([("partner_id", "=", self.late.id)])
        self.assertEqual((late.days_late, late.refresh_date), (3, day(0)))
        self._assert_exact(day(1))
        # the minimum interval since the reminder of day 0 ends on day 2
        self._age()
        self.assertEqual(self._run_spied(day(2)), self.late)
        self._assert_exact(day(2))

    def test_a_change_rewrites_the_row_of_its_customer_only(self):
        self._run_spied(day(0))
        self._age()
        self._pay(self.late_invoice, amount=400.0, date=day(1))
        self.assertEqual(self._run_spied(day(1)), self.late)
        late = self.Worklist.search([("partner_id", "=", self.late.id)])
        self.assertEqual(late.overdue_amount, 500.0)
        self._assert_exact(day(1))

        self._age()
        self.early_invoice.billing_disputed = True
        self.assertEqual(self._run_spied(day(1)), self.early)
        self._assert_exact(day(1))

        self._age()
        self.late.with_company(self.company).billing_excluded = True
        self.assertEqual(self._run_spied(day(1)), self.late)
        late = self.Worklist.search([("partner_id", "=", self.late.id)])
        self.assertFalse(late.next_step_id, "excluded: no next action")
        self._assert_exact(day(1))

    def test_a_settings_change_rewrites_every_row(self):
        self._run_spied(day(0))
        self._age()
        self.steps[7].offset_days = 9
        self.assertEqual(self._run_spied(day(1)), self.customers)
        late = self.Worklist.search([("partner_id", "=", self.late.id)])
        self.assertEqual(late.next_date, day(7), "the second step, 9 days late")

    def test_an_item_falling_due_rewrites_the_row(self):
        self._run_spied(day(0))
        self._age()
        # the heads-up (3 days before the due date) goes out on day 17
        self.assertFalse(self._run_spied(day(16)) & self.early)
        self._assert_exact(day(16))
        self._age()
        self.assertIn(self.early, self._run_spied(day(17)))
        self._age()
        self.assertIn(self.early, self._run_spied(day(21)))
        early = self.Worklist.search([("partner_id", "=", self.early.id)])
        self.assertEqual((early.overdue_amount, early.days_late), (100.0, 1))
        self._assert_exact(day(21))

    def test_kept_rows_stay_exact_over_a_month_of_runs(self):
        """Invoices falling due on different days, a foreign currency, a
        credit note and a partial payment: every day's rows, most of them
        kept, read as a full refresh."""
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        self._invoice(self.late, 300.0, day(-5), day(6), currency_id=eur.id)
        self._invoice(self.early, 80.0, day(-5), day(3))
        self._invoice(self.early, 30.0, day(-3), move_type="out_refund")
        self._pay(self.late_invoice, amount=200.0, date=day(-1))
        rewritten = 0
        for n in range(0, 31, 2):
            self._age()
            rewritten += len(self._run_spied(day(n)))
            self._assert_exact(day(n))
        self.assertLess(rewritten, 2 * 16, "most days keep most rows")

    def test_a_change_in_one_company_keeps_the_row_of_the_other(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.write({"email": "billing@company-b.example"})
        company_b.billing_followup_sequence_id = self.sequence.copy(
            {"name": "B ladder", "company_id": company_b.id}
        )
        invoice_b = self._invoice(
            self.late, 222.0, day(-40), day(-2), company_id=company_b.id
        )
        engine = self.engine.with_context(
            allowed_company_ids=(self.company | company_b).ids
        )
        self.env.flush_all()
        self._age(SETTINGS_TABLES)
        engine._run(date=day(0), partners=self.late)
        self._age()
        self._pay(invoice_b, amount=22.0, date=day(1))
        with self._rewritten() as rewritten:
            engine._run(date=day(1), partners=self.late)
        self.assertEqual(rewritten, [(self.late.id, company_b.id)])
        rows = self.Worklist.with_context(
            allowed_company_ids=(self.company | company_b).ids
        ).search([("partner_id", "=", self.late.id)])
        self.assertEqual(
            {row.company_id: (row.overdue_amount, row.days_late) for row in rows},
            {self.company: (900.0, 3), company_b: (200.0, 3)},
        )

    def test_the_scheduled_run_keeps_rows_on_each_company_s_date(self):
        self.late.tz = self.early.tz = "UTC"
        self._run_spied(day(0))
        self._age()
        cron = self.env.ref("billing_followup.ir_cron_billing_followup")
        with (
            freeze_time(datetime(2026, 3, 3, 10, 0)),
            self._rewritten() as rewritten,
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        self.assertFalse({p for p, _c in rewritten} & set(self.customers.ids))
        late = self.Worklist.search([("partner_id", "=", self.late.id)])
        self.assertEqual(late.days_late, 3, "one day later than day 0's row")

    def test_a_contract_s_sequence_starting_rewrites_the_row(self):
        agreed = self.env["billing.followup.sequence"].create(
            {
                "name": "Agreed ladder",
                "company_id": self.company.id,
                "step_ids": [
                    self._step("Agreed reminder", 12, "mail_template_reminder")
                ],
            }
        )
        contract = self.env["billing.contract"].create(
            {
                "partner_id": self.late.id,
                "company_id": self.company.id,
                "approver_id": self.env["res.partner"]
                .create({"name": "Approver", "parent_id": self.late.id})
                .id,
                "billing_method": "fixed",
                "amount": 1000.0,
                "date_start": day(4),
                "followup_sequence_id": agreed.id,
            }
        )
        contract.signed_by = "Approver"
        contract.action_sign()
        self._age((*SETTINGS_TABLES, "billing_contract"))
        self._run_spied(day(0), self.late)
        self._age()
        self.assertEqual(self._run_spied(day(3), self.late), self.late)
        late = self.Worklist.search([("partner_id", "=", self.late.id)])
        self.assertEqual(late.next_date, day(5), "the company's second step")
        self._age()
        self.assertEqual(self._run_spied(day(4), self.late), self.late)
        self.assertEqual(late.next_date, day(10), "the contract's step, 12 days late")
        self._assert_exact(day(4), self.late)
