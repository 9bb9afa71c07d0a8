"""Contracts for the contract-scope tests, on the shared test company."""

from datetime import date

from odoo import Command, fields

from .common import BillingFollowupCommon


class ContractCommon(BillingFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write(
            {
                "street": "1 Harbour Road",
                "city": "Springfield",
                "email": "billing@company.example",
                "phone": "+1 555 0100",
                "vat": "US123456789",
            }
        )
        cls.env["res.partner.bank"].create(
            {
                "acc_number": "DE89370400440532013000",
                "partner_id": cls.company.partner_id.id,
            }
        )
        cls.customer.write({"street": "5 Garden Lane", "city": "Shelbyville"})
        cls.approver = cls.env["res.partner"].create(
            {"name": "Iris Approver", "parent_id": cls.customer.id}
        )
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 days",
                "company_id": False,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )

    @classmethod
    def _contract(cls, partner=None, sign=True, **values):
        contract = cls.env["billing.contract"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "company_id": cls.company.id,
                "approver_id": cls.approver.id,
                "billing_method": "retainer",
                "billing_schedule": "monthly",
                "amount": 1000.0,
                "date_start": fields.Date.to_date("2026-01-01"),
                "payment_term_id": cls.term_30.id,
                **values,
            }
        )
        if sign:
            contract.signed_by = "Iris Approver"
            contract.action_sign()
        return contract

    def _reverse(self, invoice, modify=False):
        """Odoo's credit note wizard on `invoice`, dated 5 February 2026:
        the draft credit note, or with `modify` ("Reverse and create
        invoice") the new draft invoice."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": date(2026, 2, 5)})
        )
        action = wizard.modify_moves() if modify else wizard.refund_moves()
        return self.env["account.move"].browse(action["res_id"])
