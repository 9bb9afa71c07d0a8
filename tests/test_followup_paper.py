"""Paper is paper: a printed letter has a proper title, payment reference
and bank details, no links; the invoice PDF states its terms and discount
once; a pro-forma never offers a discount whose date has passed."""

import io

from pypdf import PdfReader

from odoo import Command
from odoo.tests import freeze_time

from .followup_common import FollowupEngineCommon, day


class TestFollowupPaper(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["ir.actions.report"].with_context(
            force_report_rendering=True
        )
        cls.env["res.partner.bank"].create(
            {
                "acc_number": "NL91ABNA0417164300",
                "partner_id": cls.company.partner_id.id,
            }
        )
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "30 days, 2 % at 10 days",
                "note": "Payment terms: 30 days, 2 % early payment discount",
                "display_on_invoice": True,
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )

    def _render(self, report, records, pages=1):
        pdf, report_type = self.Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), pages)
        html, _type = self.Report._render_qweb_html(report, records.ids)
        return " ".join(html.decode().split())

    def test_letter_title_from_the_step_place(self):
        self.assertEqual(self.steps[-3]._billing_letter_title(), "Upcoming payment")
        self.assertEqual(self.steps[1]._billing_letter_title(), "Payment reminder")
        self.assertEqual(self.steps[14]._billing_letter_title(), "Payment reminder")
        self.assertEqual(self.steps[21]._billing_letter_title(), "Final notice")
        self.steps[21].letter_title = "Formal notice"
        self.assertEqual(self.steps[21]._billing_letter_title(), "Formal notice")

    def test_printed_letter_is_paper(self):
        invoice = self._invoice(self.customer, 300.0, day(-40), day(-21))
        self._run(day(0))
        letter = self._events(kind="letter")
        html = self._render("billing_followup.report_followup_letter", letter)
        self.assertIn("<h4>Final notice</h4>", html)
        self.assertNotIn("<h4>Final</h4>", html)
        self.assertNotIn("Pay now", html)
        self.assertNotIn("/my/invoices", html)
        self.assertIn("Payment reference", html)
        self.assertIn(f">{invoice.payment_reference}</td>", html)
        self.assertIn("NL91ABNA0417164300", html)
        self.assertIn("Dear Orchid Florists,", html)
        statement = self._render(
            "billing_followup.report_statement_outstanding", self.customer
        )
        self.assertNotIn("Pay now", statement)
        self.assertIn("NL91ABNA0417164300", statement)

    def test_letter_to_a_company_greets_neutrally(self):
        self.customer.is_company = True
        self._invoice(self.customer, 300.0, day(-40), day(-21))
        self._run(day(0))
        html = self._render(
            "billing_followup.report_followup_letter", self._events(kind="letter")
        )
        self.assertIn("Dear Sir or Madam,", html)
        self.assertNotIn("Dear Orchid Florists", html)

    def test_invoice_pdf_states_terms_and_discount_once(self):
        invoice = self._invoice(
            self.customer, 1000.0, "2026-03-02", invoice_payment_term_id=self.term.id
        )
        html = self._render("account.account_invoices", invoice)
        self.assertEqual(html.count("Payment terms"), 1, "terms once")
        self.assertIn("Payment within 30 days.", html)
        self.assertEqual(html.count("save 2 %"), 1, "discount once")
        self.assertNotIn("due if paid before", html)

    def test_proforma_never_offers_a_passed_discount(self):
        invoice = self._invoice(
            self.customer,
            480.0,
            "2026-02-01",
            post=False,
            invoice_payment_term_id=self.term.id,
        )
        with freeze_time("2026-02-05"):
            html = self._render("billing_followup.report_invoice_proforma", invoice)
        self.assertIn("by 02/11/2026 and save 2 %.", html)
        with freeze_time("2026-02-20"):
            html = self._render("billing_followup.report_invoice_proforma", invoice)
        self.assertIn("Payment within 30 days.", html)
        self.assertNotIn("save 2", html)
