"""Invoices follow their contract: defaults, out-of-scope work, completeness."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time

from .contract_common import ContractCommon


# An invoice finds the contract in force today: "today" is the invoices' day,
# inside the contracts' term (from 1 January 2026), not the real date.
@freeze_time("2026-02-01")
class TestContractDefaults(ContractCommon):
    def test_new_invoice_takes_the_contract_terms(self):
        contract = self._contract(
            currency_id=self.setup_other_currency("EUR").id,
            user_id=self.env.ref("base.user_admin").id,
        )
        with Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.approver  # a contact of the customer
            form.invoice_date = date(2026, 2, 1)
            with form.invoice_line_ids.new() as line:
                line.name = "Design"
                line.price_unit = 100.0
        invoice = form.save()
        self.assertEqual(invoice.billing_contract_id, contract)
        self.assertEqual(invoice.invoice_payment_term_id, self.term_30)
        self.assertEqual(invoice.currency_id.name, "EUR")
        self.assertEqual(invoice.invoice_user_id, self.env.ref("base.user_admin"))
        due_dates = [key["date_maturity"] for key in invoice.needed_terms]
        self.assertEqual(due_dates, [date(2026, 3, 3)])
        self.assertEqual(invoice.billing_terms_text, "Payment within 30 days.")

    def test_no_contract_when_none_or_several_or_unsigned(self):
        self._contract(sign=False)
        invoice = self._invoice(self.customer, 100.0, "2026-02-01", post=False)
        self.assertFalse(invoice.billing_contract_id)
        self._contract()
        self._contract()
        invoice = self._invoice(self.customer, 100.0, "2026-02-01", post=False)
        self.assertFalse(invoice.billing_contract_id)

    def test_vendor_bills_are_left_alone(self):
        self._contract()
        bill = self._invoice(
            self.customer, 100.0, "2026-02-01", post=False, move_type="in_invoice"
        )
        self.assertFalse(bill.billing_contract_id)

    def test_personal_note_from_contract_or_customer(self):
        self.customer.billing_personal_note = "Thanks for ten years together!"
        invoice = self._invoice(self.customer, 100.0, "2026-02-01", post=False)
        self.assertEqual(
            invoice.billing_personal_note, "Thanks for ten years together!"
        )
        contract = self._contract(personal_note="Congratulations on the new shop!")
        invoice = self._invoice(self.customer, 100.0, "2026-02-01", post=False)
        self.assertEqual(invoice.billing_contract_id, contract)
        self.assertEqual(
            invoice.billing_personal_note, "Congratulations on the new shop!"
        )


@freeze_time("2026-02-05")  # the day of the credit notes (`_reverse`)
class TestOutOfScope(ContractCommon):
    def setUp(self):
        super().setUp()
        self.contract = self._contract()
        self.change = self.env["billing.scope.change"].create(
            {
                "contract_id": self.contract.id,
                "name": "Extra landing page",
                "amount": 350.0,
                "hours": 5,
                "reason": "Not in the agreed site map",
            }
        )

    def _extra_invoice(self, change=None):
        invoice = self._invoice(self.customer, 1000.0, "2026-02-01", post=False)
        invoice.invoice_line_ids = [
            Command.create(
                {
                    "name": "Extra landing page",
                    "price_unit": 350.0,
                    "tax_ids": [],
                    "billing_out_of_scope": True,
                    "billing_scope_change_id": change and change.id,
                }
            )
        ]
        return invoice

    def test_refused_without_approval(self):
        invoice = self._extra_invoice()
        with self.assertRaisesRegex(
            UserError, "“Extra landing page”.*out of scope.*written approval"
        ):
            invoice.action_post()
        invoice.invoice_line_ids[-1].billing_scope_change_id = self.change
        with self.assertRaisesRegex(UserError, "no approved scope change"):
            invoice.action_post()  # linked, but not approved yet
        self.assertEqual(invoice.state, "draft")

    def test_approval_needs_who_when_and_proof(self):
        with self.assertRaisesRegex(UserError, "who approved it.*the date.*written"):
            self.change.action_approve()
        self.assertFalse(self.change.approver_id, "empty until approved")
        self.change.approval_date = date(2026, 1, 20)
        with self.assertRaises(UserError):
            self.change.action_approve()
        self.change.attachment_ids = [
            Command.create({"name": "change-order.pdf", "raw": b"%PDF-1.4 signed"})
        ]
        self.change.action_approve()
        self.assertEqual(self.change.state, "approved")
        self.assertEqual(self.change.approver_id, self.approver, "the contract's")

    def test_accepted_with_approval(self):
        self.change.write(
            {"approval_date": date(2026, 1, 20), "approval_note": "email"}
        )
        self.change.action_approve()
        invoice = self._extra_invoice(self.change)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(self.change.invoiced)
        self.assertEqual(
            invoice._billing_work_subtotals(),
            [("Contract work", 1000.0), ("Approved extra work", 350.0)],
        )
        with self.assertRaises(UserError):
            self.change.action_reject()

    def test_credit_note_of_extra_work(self):
        self.change.write(
            {"approval_date": date(2026, 1, 20), "approval_note": "email"}
        )
        self.change.action_approve()
        invoice = self._extra_invoice(self.change)
        invoice.action_post()
        refund = self._reverse(invoice)
        refund.action_post()
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.billing_contract_id, self.contract)
        extra = refund.invoice_line_ids.filtered("billing_out_of_scope")
        self.assertEqual(extra.billing_scope_change_id, self.change)

    def test_change_of_another_contract_refused(self):
        other = self._contract(
            partner=self.env["res.partner"].create({"name": "Other"})
        )
        change = self.env["billing.scope.change"].create(
            {"contract_id": other.id, "name": "Elsewhere", "amount": 10.0}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to contract"):
            self._extra_invoice(change)

    def test_lines_in_scope_post_normally(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-02-01")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice._billing_work_subtotals(), [])


@freeze_time("2026-02-01")
class TestCompleteness(ContractCommon):
    def _draft(self, **values):
        return self._invoice(self.customer, 500.0, "2026-02-01", post=False, **values)

    def _missing(self, invoice):
        self.env.invalidate_all()
        return invoice.billing_missing_items or ""

    def test_complete_invoice_has_no_banner(self):
        self._contract(require_po=True)
        invoice = self._draft(ref="PO-4411")
        self.assertFalse(invoice.billing_missing_items)
        invoice.action_post()
        self.assertFalse(self._missing(invoice))  # the number is there now

    def test_each_missing_item(self):
        company = self.company.partner_id
        self._contract(require_po=True)
        cases = [
            (company, "name", "Z", None),
            (company, "street", False, "our company address"),
            (company, "email", False, "our company email"),
            (company, "phone", False, "our company phone"),
            (company, "vat", False, "our tax ID"),
            (self.customer, "city", False, "the client's address"),
        ]
        for partner, field, value, label in cases:
            old = partner[field]
            partner[field] = value
            invoice = self._draft(ref="PO-1")
            if label:
                self.assertEqual(self._missing(invoice), label, field)
            else:
                self.assertFalse(self._missing(invoice))
            partner[field] = old
        invoice = self._draft()
        self.assertEqual(
            self._missing(invoice), "the client's PO reference (Customer Reference)"
        )
        invoice.ref = "PO-2"
        invoice.invoice_line_ids.name = False
        self.assertEqual(
            self._missing(invoice), "an itemised description on every line"
        )
        invoice.invoice_line_ids.name = "Design"
        invoice.write({"invoice_payment_term_id": False, "invoice_date_due": False})
        self.assertIn("a due date or payment terms", self._missing(invoice))
        company.bank_ids.unlink()
        self.assertIn("a bank account to pay to", self._missing(invoice))

    def test_client_name_and_number_rules(self):
        self._contract()
        facts = self._draft()._billing_completeness_facts()
        from odoo.addons.billing_followup.tools.invoice_completeness import (
            missing_items,
        )

        self.assertEqual(missing_items(facts), [])
        self.assertEqual(
            missing_items({**facts, "client_name": False}), ["client_name"]
        )
        posted = {**facts, "posted": True, "invoice_number": False}
        self.assertEqual(missing_items(posted), ["invoice_number"])
        self.assertEqual(missing_items({**facts, "invoice_number": False}), [])

    def test_warning_only_by_default(self):
        self._contract()
        self.company.partner_id.phone = False
        invoice = self._draft()
        self.assertEqual(self._missing(invoice), "our company phone")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_blocking_contract_refuses_post_and_send(self):
        contract = self._contract(completeness_blocking=True)
        self.company.partner_id.phone = False
        invoice = self._draft()
        with self.assertRaisesRegex(
            UserError, "incomplete.*Missing: our company phone"
        ):
            invoice.action_post()
        self.company.partner_id.phone = "+1 555 0100"
        invoice.action_post()
        # sending checks again: a posted invoice that became incomplete
        self.company.partner_id.email = False
        invoice.invalidate_recordset(["billing_missing_items"])
        with self.assertRaisesRegex(UserError, "Missing: our company email"):
            invoice.action_send_and_print()
        contract.completeness_blocking = False
        self.assertEqual(
            invoice.action_send_and_print()["res_model"], "account.move.send.wizard"
        )
