"""What users meet on contracts: drafts still to post count as to bill,
a scope change is invoiced once its invoice is posted, and approvals are
refused on a draft contract or with a date to come."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time

from .contract_common import ContractCommon


class TestContractReview(ContractCommon):
    def _change(self, contract):
        return self.env["billing.scope.change"].create(
            {"contract_id": contract.id, "name": "Extra landing page", "amount": 350.0}
        )

    def test_drafts_left_by_the_schedule_are_still_to_bill(self):
        contract = self._contract()  # scheduled invoices stay in draft
        Contract = self.env["billing.contract"]
        with freeze_time(date(2026, 1, 1)):
            invoice = contract._generate_invoices(date(2026, 1, 1))
            self.assertEqual(invoice.state, "draft")
            self.assertEqual(contract.draft_invoice_count, 1)
            to_bill = Contract.search([("draft_invoice_count", ">", 0)])
            self.assertIn(contract, to_bill)
            invoice.action_post()
            contract.invalidate_recordset(["draft_invoice_count"])
            self.assertEqual(contract.draft_invoice_count, 0)
            self.assertNotIn(
                contract, Contract.search([("draft_invoice_count", ">", 0)])
            )
            self.assertIn(contract, Contract.search([("draft_invoice_count", "=", 0)]))

    def test_approval_refused_on_a_draft_contract(self):
        draft = self._contract(sign=False)
        change = self._change(draft)
        change.write({"approval_date": date(2026, 1, 20), "approval_note": "email"})
        with self.assertRaisesRegex(ValidationError, "still a draft"):
            change.action_approve()
        self.assertEqual(change.state, "draft")

    def test_approval_date_cannot_be_in_the_future(self):
        change = self._change(self._contract())
        with freeze_time(date(2026, 1, 20)):
            with self.assertRaisesRegex(ValidationError, "is in the future"):
                change.approval_date = date(2026, 1, 21)
            change.approval_date = date(2026, 1, 20)
        self.assertEqual(change.approval_date, date(2026, 1, 20))
