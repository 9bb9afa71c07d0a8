"""Shared base for the addon's tests: a company with a chart of accounts
(from Odoo's own accounting test base), customers and invoice helpers."""

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class BillingFollowupCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Orchid Florists",
                "email": "accounts@orchid-florists.example",
                "company_id": False,
            }
        )

    @classmethod
    def _invoice(
        cls, partner, amount, invoice_date, due_date=None, post=True, **values
    ):
        """A customer invoice of one line; `due_date` without payment term."""
        invoice = cls.env["account.move"].create(
            {
                "move_type": values.pop("move_type", "out_invoice"),
                "partner_id": partner.id,
                "invoice_date": fields.Date.to_date(invoice_date),
                "invoice_date_due": due_date and fields.Date.to_date(due_date),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": values.pop("label", "Consulting"),
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
                **values,
            }
        )
        if post:
            invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount=None, date=None):
        """Register a payment on `invoice` through the usual wizard."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "payment_date": fields.Date.to_date(date)
                    if date
                    else invoice.invoice_date,
                    **({"amount": amount} if amount is not None else {}),
                }
            )
        )
        return wizard._create_payments()
