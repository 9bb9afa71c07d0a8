"""What only the contract's own actions may change: statuses, the schedule
change count, a milestone's invoice, the billed-period ledger; scope changes
approved, invoiced once and never beyond the approved amount; invoicing
contacts of the customer."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user

from .contract_common import ContractCommon


class ContractGuardCommon(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.clerk = new_test_user(
            cls.env,
            login="bf_guard_clerk",
            groups="account.group_account_invoice",
            **company,
        )
        cls.manager = new_test_user(
            cls.env,
            login="bf_guard_manager",
            groups="account.group_account_manager",
            **company,
        )
        cls.auditor = new_test_user(
            cls.env,
            login="bf_guard_auditor",
            groups="account.group_account_readonly",
            **company,
        )

    def _approved_change(self, contract, amount=350.0):
        change = self.env["billing.scope.change"].create(
            {
                "contract_id": contract.id,
                "name": "Extra landing page",
                "amount": amount,
                "approval_date": date(2026, 1, 20),
                "approval_note": "email of 20 January",
            }
        )
        change.action_approve()
        return change

    def _extra_invoice(self, change, price=350.0, post=True):
        invoice = self._invoice(self.customer, 1000.0, "2026-02-01", post=False)
        invoice.billing_contract_id = change.contract_id
        invoice.invoice_line_ids = [
            Command.create(
                {
                    "name": change.name,
                    "price_unit": price,
                    "tax_ids": [],
                    "billing_scope_change_id": change.id,
                }
            )
        ]
        if post:
            invoice.action_post()
        return invoice


class TestContractWriteGuards(ContractGuardCommon):
    def test_state_and_change_count_only_through_actions(self):
        contract = self._contract(sign=False).with_user(self.clerk)
        with self.assertRaisesRegex(UserError, "Status of a contract change only"):
            contract.write({"state": "signed"})
        with self.assertRaisesRegex(UserError, "Schedule Changes"):
            contract.write({"schedule_change_count": 0})
        Contract = self.env["billing.contract"].with_user(self.clerk)
        with self.assertRaisesRegex(UserError, "through its buttons"):
            Contract.create(
                {"partner_id": self.customer.id, "amount": 1.0, "state": "signed"}
            )
        self.assertEqual(contract.state, "draft")
        # the buttons do it for a user who may edit the contract
        contract.signed_by = "Iris Approver"
        contract.action_sign()
        self.assertEqual(contract.state, "signed")
        contract.billing_day = 15  # the one schedule change the terms allow
        self.assertEqual(contract.schedule_change_count, 1)
        # but not for one who may only read it
        with self.assertRaises(AccessError):
            contract.with_user(self.auditor).action_close()
        self.assertEqual(contract.state, "signed")
        # a copy starts over as a draft
        copy = contract.copy()
        self.assertEqual((copy.state, copy.schedule_change_count), ("draft", 0))

    def test_milestone_invoice_only_through_its_button(self):
        contract = self._contract(
            billing_method="milestone",
            billing_schedule="milestone",
            deliverable_ids=[Command.create({"name": "Launch", "amount": 900.0})],
        )
        deliverable = contract.deliverable_ids.with_user(self.clerk)
        other = self._invoice(self.customer, 900.0, "2026-02-01", post=False)
        with self.assertRaisesRegex(UserError, "Invoice button only"):
            deliverable.write({"move_id": other.id})
        with self.assertRaisesRegex(UserError, "Invoice button only"):
            deliverable.create(
                {"contract_id": contract.id, "name": "X", "move_id": other.id}
            )
        deliverable.delivered = True
        deliverable.action_invoice()
        self.assertEqual(deliverable.move_id.amount_untaxed, 900.0)
        self.assertNotEqual(deliverable.move_id, other)

    def test_billed_periods_are_read_only_and_keep_their_contract(self):
        contract = self._contract()
        contract._generate_invoices(date(2026, 1, 1))
        period = contract.period_ids.with_user(self.manager)
        self.assertEqual(period.date_start, date(2026, 1, 1))
        with self.assertRaises(AccessError):
            period.write({"date_end": date(2026, 1, 15)})
        with self.assertRaises(AccessError):
            period.unlink()
        with self.assertRaises(AccessError):
            period.create(
                {
                    "contract_id": contract.id,
                    "date_start": date(2026, 3, 1),
                    "date_end": date(2026, 3, 31),
                    "billing_date": date(2026, 3, 1),
                }
            )
        with self.assertRaisesRegex(UserError, "billed periods.*archive it"):
            contract.with_user(self.manager).unlink()
        contract.with_user(self.manager).action_archive()
        self.assertFalse(contract.active)
        self.assertEqual(len(contract.period_ids), 1)
        # an archived contract is not billed by the schedule
        self.assertNotIn(
            contract,
            self.env["billing.contract"].search(
                self.env["billing.contract"]._due_domain(date(2026, 3, 1))
            ),
        )

    def test_terms_belong_to_the_contract_company(self):
        other = self.setup_other_company()["company"]
        foreign_term = self.env["account.payment.term"].create(
            {"name": "Foreign 15 days", "company_id": other.id}
        )
        foreign_sequence = self.env["billing.followup.sequence"].create(
            {"name": "Foreign reminders", "company_id": other.id}
        )
        contract = self._contract(sign=False)
        for field, value in (
            ("payment_term_id", foreign_term),
            ("followup_sequence_id", foreign_sequence),
        ):
            with self.assertRaises(UserError, msg=field):
                contract.write({field: value.id})

    def test_invoicing_contact_belongs_to_the_customer(self):
        stranger = self.env["res.partner"].create({"name": "Someone Else"})
        stranger_contact = self.env["res.partner"].create(
            {"name": "Sam Else", "parent_id": stranger.id}
        )
        with self.assertRaisesRegex(
            ValidationError, "Sam Else is not a contact of Orchid Florists"
        ):
            self._contract(invoice_contact_id=stranger_contact.id)
        contract = self._contract(invoice_contact_id=self.approver.id)
        with self.assertRaisesRegex(ValidationError, "is not a contact of"):
            contract.invoice_contact_id = stranger
        # moving the contract to another customer keeps the rule
        with self.assertRaisesRegex(ValidationError, "is not a contact of"):
            self._contract(sign=False, invoice_contact_id=self.approver.id).write(
                {"partner_id": stranger.id}
            )


# the day of the credit notes (`_reverse`); invoices find the contract in
# force on it
@freeze_time("2026-02-05")
class TestScopeChangeGuards(ContractGuardCommon):
    def setUp(self):
        super().setUp()
        self.contract = self._contract()

    def test_state_only_through_actions(self):
        change = (
            self.env["billing.scope.change"]
            .with_user(self.clerk)
            .create({"contract_id": self.contract.id, "name": "Icons", "amount": 80.0})
        )
        with self.assertRaisesRegex(UserError, "status of a scope change"):
            change.write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "status of a scope change"):
            change.create(
                {
                    "contract_id": self.contract.id,
                    "name": "Forged",
                    "amount": 999.0,
                    "state": "approved",
                }
            )
        change.write({"approval_date": date(2026, 1, 20), "approval_note": "call"})
        change.action_approve()
        self.assertEqual(change.state, "approved")

    def test_approved_amount_is_fixed(self):
        change = self._approved_change(self.contract)
        with self.assertRaisesRegex(UserError, "Extra landing page is approved"):
            change.amount = 900.0
        other = self._contract()
        with self.assertRaisesRegex(UserError, "is approved"):
            change.contract_id = other
        change.write({"amount": 350.0, "name": "Extra landing page (v2)"})
        change.action_reset()
        change.amount = 400.0
        self.assertEqual(change.amount, 400.0)

    def test_invoiced_once(self):
        change = self._approved_change(self.contract)
        first = self._extra_invoice(change)
        with self.assertRaises(ValidationError) as caught:  # rolled back
            self._extra_invoice(change, post=False)
        self.assertIn(
            "Extra landing page is already invoiced on INV/", str(caught.exception)
        )
        # a duplicate of the invoice does not take the change with it
        copy = first.copy()
        extra = copy.invoice_line_ids.filtered("billing_out_of_scope")
        self.assertFalse(extra.billing_scope_change_id)
        with self.assertRaisesRegex(UserError, "no approved scope change"):
            copy.action_post()
        # after a credit note, the work may be billed again
        refund = self._reverse(first)
        refund.action_post()
        again = self._extra_invoice(change)
        self.assertEqual(again.state, "posted")

    def test_reverse_and_reinvoice_keeps_the_change(self):
        """Odoo's "Reverse and create invoice": the credit note and the new
        draft both keep the change, and the new one may be posted."""
        change = self._approved_change(self.contract)
        first = self._extra_invoice(change)
        new = self._reverse(first, modify=True)
        extra = new.invoice_line_ids.filtered("billing_out_of_scope")
        self.assertEqual(extra.billing_scope_change_id, change)
        new.action_post()
        self.assertEqual(
            change._invoiced_amount(
                change.invoice_line_ids.filtered(lambda ln: ln.parent_state == "posted")
            ),
            350.0,
        )

    def test_invoiced_amount_cannot_exceed_the_approved_amount(self):
        change = self._approved_change(self.contract, amount=350.0)
        invoice = self._extra_invoice(change, price=500.0, post=False)
        with self.assertRaisesRegex(
            ValidationError,
            r"Extra landing page was approved for .*350\.00.*" r"would bill .*500\.00",
        ):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.invoice_line_ids.filtered("billing_scope_change_id").price_unit = 350.0
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_invoiced_change_cannot_be_deleted(self):
        change = self._approved_change(self.contract)
        self._extra_invoice(change)
        with self.assertRaisesRegex(UserError, "invoiced scope change cannot be"):
            change.with_user(self.manager).unlink()
