"""The formal demand letter of the last resort: who owes what since when,
the invoices, what was sent and when, and the agency fee only when a signed
contract announced the terms."""

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
        cls.handover = Event.create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date": fields.Date.to_date("2026-03-25"),
                "kind": "handover",
                "stage_id": cls.last_resort.id,
                "contact_id": cls.customer.id,
                "line_ids": [Command.set(cls._lines())],
            }
        )

    @classmethod
    def _lines(cls):
        return cls.invoice.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable"
        ).ids

    def _text(self, xpath):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "billing_followup.report_demand_letter", self.handover.ids
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

    def test_letter_with_signed_contract_adds_the_agency_fee(self):
        self._contract()
        self.assertEqual(
            self._text("//*[@class='billing-fee']"),
            ["Collection fee of 10.0% as our agreement provides: $ 120.00."],
        )
        self.assertEqual(
            self._text("//*[@class='billing-demand-total']"),
            ["Amount demanded: $ 1,320.00"],
        )
