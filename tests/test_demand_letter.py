"""The formal demand letter of the last resort: who owes what since when,
the invoices, what was sent and when, and the fees only as the customer's
late fee policy allows (its contract's, its own or its sequence's): late
fees not charged yet and the agency fee; no policy, no fee."""

from datetime import date

from lxml import html as lxml_html

from odoo import Command, fields

from .contract_common import ContractCommon


class TestDemandLetter(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.last_resort = cls.env.ref("billing_followup.stage_last_resort")
        cls.agency = cls.env["res.partner"].create({"name": "Fair Collections LLP"})
        cls.last_resort.write({"agency_id": cls.agency.id, "agency_fee_percent": 10.0})
        cls.invoice = cls._invoice(cls.customer, 1200.0, "2026-01-05", "2026-01-20")
        # written as the engine would (users only read the ledger)
        Event = cls.env["billing.followup.event"].sudo()
        cls.sent = Event.create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date": fields.Date.to_date("2026-02-01"),
                "kind": "email",
                "line_ids": [Command.set(cls._lines())],
            }
        )
        cls.handover = cls._handover(cls.invoice)
        cls.fee_product = cls.env["product.product"].create(
            {"name": "Late payment fee", "type": "service", "taxes_id": []}
        )

    @classmethod
    def _handover(cls, invoices):
        # written as the engine would (users only read the ledger)
        return (
            cls.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "date": fields.Date.to_date("2026-03-25"),
                    "kind": "handover",
                    "key": f"handover:{invoices[:1].id}",
                    "stage_id": cls.last_resort.id,
                    "contact_id": cls.customer.id,
                    "line_ids": [Command.set(cls._lines(invoices))],
                }
            )
        )

    @classmethod
    def _lines(cls, invoices=None):
        return (
            (invoices or cls.invoice)
            .line_ids.filtered(
                lambda ln: ln.account_id.account_type == "asset_receivable"
            )
            .ids
        )

    def _policy(self, **values):
        return self.env["billing.late.fee.policy"].create(
            {
                "name": "Agreed late fee",
                "company_id": self.company.id,
                "kind": "fixed",
                "fixed_amount": 40.0,
                "product_id": self.fee_product.id,
                **values,
            }
        )

    def _text(self, xpath, handover=None):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "billing_followup.report_demand_letter", (handover or self.handover).ids
        )[0]
        doc = lxml_html.fromstring(html)
        return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]

    def test_letter_without_contract_has_no_fee(self):
        self.assertEqual(self._text("//*[@class='billing-since']"), ["01/20/2026"])
        self.assertEqual(
            self._text("//table[contains(@class, 'billing-sent')]//td")[0], "02/01/2026"
        )
        self.assertFalse(self._text("//*[@class='billing-fee']"))
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']"),
            ["Amount demanded: $ 1,200.00"],
        )
        self.assertIn(
            "Fair Collections LLP",
            " ".join(self._text("//div[contains(@class, 'page')]/p")),
        )
        self.assertIn(self.invoice.name, " ".join(self._text("//tbody//td")))

    def test_signed_contract_without_fee_policy_claims_no_fee(self):
        self._contract()
        self.assertFalse(self._text("//*[@class='billing-fee']"))
        self.assertFalse(self._text("//*[@class='billing-late-fee']"))
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']"),
            ["Amount demanded: $ 1,200.00"],
        )

    def test_customer_policy_adds_its_late_fee_and_the_agency_fee(self):
        self.customer.with_company(
            self.company
        ).billing_late_fee_policy_id = self._policy()
        self.assertEqual(
            self._text("//*[@class='billing-late-fee']"),
            ["Late fees as our agreement provides, up to 03/25/2026: $ 40.00."],
        )
        self.assertEqual(
            self._text("//*[@class='billing-fee']"),
            ["Collection fee of 10.0% as our agreement provides: $ 120.00."],
        )
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']"),
            ["Amount demanded: $ 1,360.00"],
        )

    def test_contract_policy_charges_interest_on_its_invoices(self):
        contract = self._contract(
            late_fee_policy_id=self._policy(kind="interest", annual_rate=8.0).id
        )
        invoice = self._invoice(
            self.customer,
            1200.0,
            "2026-01-05",
            "2026-01-20",
            billing_contract_id=contract.id,
        )
        handover = self._handover(invoice)
        self.assertEqual(invoice.invoice_date_due, date(2026, 2, 4), "30 days")
        # 40.00 compensation, and 1,200.00 at 8 % a year for the 49 days
        # from 4 February to 25 March: 12.89
        self.assertEqual(
            self._text("//*[@class='billing-late-fee']", handover),
            ["Late fees as our agreement provides, up to 03/25/2026: $ 52.89."],
        )
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']", handover),
            ["Amount demanded: $ 1,372.89"],
        )

    def test_fee_already_charged_is_not_claimed_twice(self):
        self.customer.with_company(
            self.company
        ).billing_late_fee_policy_id = self._policy()
        # the run charged the invoice's fee on 1 March (its fee invoice is
        # not listed here: only the charge matters)
        self.env["billing.followup.event"].sudo().create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "date": fields.Date.to_date("2026-03-01"),
                "kind": "fee",
                "key": "fee:0:2026-01-20:0:1",
                "line_ids": [Command.set(self._lines())],
            }
        )
        self.assertFalse(self._text("//*[@class='billing-late-fee']"))
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']"),
            ["Amount demanded: $ 1,320.00"],
        )

    def test_grace_period_leaves_only_the_agency_fee(self):
        self.customer.with_company(
            self.company
        ).billing_late_fee_policy_id = self._policy(grace_days=90)
        self.assertFalse(self._text("//*[@class='billing-late-fee']"))
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']"),
            ["Amount demanded: $ 1,320.00"],
        )
