"""Credit hold stops new work: a customer's new invoice is refused while it
is on hold, a follow-up manager may override with a reason (logged on the
invoice and the customer), a non-manager may not, a credit note passes, and
a scheduled contract invoice stays in draft with the reason and an
activity."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .contract_common import ContractCommon


class TestCreditHold(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hold = cls.env.ref("billing_followup.stage_credit_hold")
        cls.env["billing.followup.stage"].flush_model()
        groups = "account.group_account_invoice,"
        cls.manager = new_test_user(
            cls.env,
            login="bf_hold_manager",
            groups=groups + "billing_followup.billing_followup_group_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.clerk = new_test_user(
            cls.env,
            login="bf_hold_clerk",
            groups=groups + "billing_followup.billing_followup_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls._invoice(cls.customer, 700.0, "2026-01-05", "2026-01-20")
        cls.customer.with_company(cls.company).with_context(
            billing_stage_reason="Three months late"
        ).billing_stage_id = cls.hold

    def test_posting_is_refused_with_stage_amount_and_days(self):
        invoice = self._invoice(self.customer, 100.0, "2026-03-01", post=False)
        self.assertTrue(invoice.billing_credit_hold)
        with self.assertRaises(UserError) as caught:
            invoice.with_user(self.clerk).action_post()
        message = str(caught.exception)
        self.assertIn("Orchid Florists is on credit hold (stage Credit hold)", message)
        self.assertIn("700.00", message)
        days = (date.today() - date(2026, 1, 20)).days
        self.assertIn(f"the oldest {days} days late", message)
        self.assertEqual(invoice.state, "draft")

    def test_a_clerk_cannot_override(self):
        invoice = self._invoice(self.customer, 100.0, "2026-03-01", post=False)
        with self.assertRaises(UserError):
            invoice.with_user(self.clerk).with_context(
                billing_credit_hold_override="Please"
            ).action_post()
        with self.assertRaises(AccessError):
            self.env["billing.credit.hold.override"].with_user(self.clerk).create(
                {"move_ids": invoice.ids, "reason": "Please"}
            ).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_manager_overrides_with_a_reason_logged(self):
        invoice = self._invoice(self.customer, 100.0, "2026-03-01", post=False)
        action = invoice.with_user(self.manager).action_billing_override_credit_hold()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Urgent repair agreed with the director"
        wizard.save().action_post()
        self.assertEqual(invoice.state, "posted")
        expected = "Urgent repair agreed with the director"
        self.assertIn(expected, invoice.message_ids[0].body)
        self.assertIn(expected, self.customer.message_ids[0].body)
        self.assertIn("bf_hold_manager", self.customer.message_ids[0].body)

    def test_credit_note_is_never_blocked(self):
        refund = self._invoice(
            self.customer, 50.0, "2026-03-01", post=False, move_type="out_refund"
        )
        refund.with_user(self.clerk).action_post()
        self.assertEqual(refund.state, "posted")

    def test_other_customers_and_companies_are_not_blocked(self):
        other = self.env["res.partner"].create({"name": "Tulip Bakery"})
        invoice = self._invoice(other, 100.0, "2026-03-01")
        self.assertEqual(invoice.state, "posted")
        company_b = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.assertFalse(self.customer.with_company(company_b).billing_credit_hold)

    def test_on_credit_hold_filter(self):
        Partner = self.env["res.partner"].with_company(self.company)
        held = Partner.search([("billing_credit_hold", "=", True)])
        self.assertIn(self.customer, held)
        self.assertNotIn(
            self.customer, Partner.search([("billing_credit_hold", "=", False)])
        )

    def test_scheduled_contract_invoice_stays_in_draft(self):
        self.customer.with_company(self.company).billing_responsible_id = self.clerk
        contract = self._contract(invoice_state="posted")
        invoices = contract._generate_invoices(date(2026, 1, 1))
        self.assertTrue(invoices)
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        self.assertIn("credit hold", invoices[0].message_ids[0].body)
        activity = invoices[0].activity_ids
        self.assertEqual(activity.user_id, self.clerk)
        self.assertIn("credit hold", activity.note)
