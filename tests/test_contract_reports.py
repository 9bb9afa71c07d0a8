"""Documents the client reads: the invoice PDF (work and extra work subtotals,
terms in plain words, personal note), the pro-forma and its email, and the
reminders' terms. wkhtmltopdf renders real PDFs here; Debian's build draws
fonts as outlines, so text is checked on the HTML the PDF is printed from."""

import io
from datetime import date

from pypdf import PdfReader

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time

from .contract_common import ContractCommon


# invoices find the contract in force today: a day of its term, not the real one
@freeze_time("2026-02-01")
class TestContractDocuments(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_early = cls.env["account.payment.term"].create(
            {
                "name": "30 days, 2 % at 10 days",
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
        cls.contract = cls._contract(
            invoice_label="Monthly bookkeeping",
            payment_term_id=cls.term_early.id,
            personal_note="Congratulations on your new shop!",
            scope_included="<p>Bookkeeping and VAT returns</p>",
            scope_excluded="<p>Payroll</p>",
            payment_method_ids=[
                Command.set(cls.env["payment.method"].search([], limit=1).ids)
            ],
        )
        cls.Report = cls.env["ir.actions.report"].with_context(
            force_report_rendering=True
        )

    def _render(self, report, records):
        pdf, report_type = self.Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
        html, _type = self.Report._render_qweb_html(report, records.ids)
        return " ".join(html.decode().split())

    def _approved_change(self, amount=350.0):
        change = self.env["billing.scope.change"].create(
            {
                "contract_id": self.contract.id,
                "name": "Year-end inventory count",
                "amount": amount,
                "approval_date": date(2026, 1, 20),
                "approval_note": "Signed change order",
            }
        )
        change.action_approve()
        return change

    def test_invoice_pdf_subtotals_terms_and_note(self):
        self._approved_change()
        invoice = self.contract._generate_invoices(date(2026, 1, 1))
        invoice.action_post()
        html = self._render("account.account_invoices", invoice)
        self.assertIn("Contract work", html)
        self.assertIn("Approved extra work", html)
        self.assertRegex(html, r"Contract work</td>.*?1,000\.00")
        self.assertRegex(html, r"Approved extra work</td>.*?350\.00")
        self.assertIn("Payment terms:", html)
        self.assertIn("Payment within 30 days.", html)
        self.assertIn("and save 2 %.", html)
        self.assertIn("Congratulations on your new shop!", html)
        self.assertIn("Monthly bookkeeping, period from 01/01/2026 to 01/31/2026", html)

    def test_invoice_without_extra_work_has_no_subtotals(self):
        invoice = self.contract._generate_invoices(date(2026, 1, 1))
        html = self._render("account.account_invoices", invoice)
        self.assertNotIn("billing_work_subtotals", html)
        self.assertNotIn("Approved extra work", html)
        self.assertIn("Payment within 30 days.", html)

    def test_contract_proforma(self):
        self._approved_change(120.0)
        html = self._render("billing_followup.report_contract_proforma", self.contract)
        self.assertIn("this is not an invoice", html)
        self.assertIn(self.contract.name, html)
        self.assertIn("Monthly bookkeeping, period from 01/01/2026 to 01/31/2026", html)
        self.assertIn("to 03/31/2026", html)  # three periods ahead
        self.assertNotIn("04/01/2026", html)
        self.assertIn("Year-end inventory count", html)
        self.assertIn("(approved extra work)", html)
        self.assertIn("3,120.00", html)
        self.assertIn("Payment within 30 days.", html)
        self.assertIn("Pay within 10 days and save 2 %.", html)
        self.assertIn("Bookkeeping and VAT returns", html)
        self.assertIn("Payroll", html)
        self.assertIn("Congratulations on your new shop!", html)
        # once January is billed, the estimate moves on
        self.contract._generate_invoices(date(2026, 1, 1))
        html = self._render("billing_followup.report_contract_proforma", self.contract)
        self.assertNotIn("from 01/01/2026", html)
        self.assertIn("from 04/01/2026", html)

    def test_proforma_in_the_client_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer.lang = "es_ES"
        html = self._render("billing_followup.report_contract_proforma", self.contract)
        self.assertIn("Pago en un plazo de 30 días.", html)
        # and the messages the Spanish-speaking accountant reads
        contract = self.contract.with_context(lang="es_ES")
        contract.billing_day = 25
        with self.assertRaisesRegex(UserError, "ya se cambió una vez"):
            contract.billing_day = 5
        self.assertIn("Pague en un plazo de 10 días y ahorre un 2 %.", html)

    def test_documents_translated_for_the_client(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["billing_followup"], ["es_ES"], overwrite=True
        )
        self.customer.lang = "es_ES"
        self._approved_change()
        html = self._render("billing_followup.report_contract_proforma", self.contract)
        self.assertIn("esto no es una factura", html)
        self.assertIn("Condiciones de pago:", html)
        self.assertIn("Monthly bookkeeping, periodo del 01/01/2026 al 31/01/2026", html)
        self.assertIn("(trabajo adicional aprobado)", html)
        invoice = self.contract._generate_invoices(date(2026, 1, 1))
        html = self._render("account.account_invoices", invoice)
        self.assertIn("Trabajo del contrato", html)
        self.assertIn("Trabajo adicional aprobado", html)
        self.assertIn("Pago en un plazo de 30 días.", html)

    def test_draft_invoice_proforma(self):
        invoice = self._invoice(self.customer, 480.0, "2026-02-01", post=False)
        with freeze_time("2026-02-05"):
            html = self._render("billing_followup.report_invoice_proforma", invoice)
        self.assertIn("this is not an invoice", html)
        self.assertIn("Consulting", html)
        self.assertIn("480.00", html)
        self.assertIn("Payment within 30 days.", html)
        self.assertIn("Pay ", html)
        self.assertIn("by 02/11/2026 and save 2 %.", html)
        self.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        action = invoice.action_billing_proforma()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_file"], "billing_followup.report_invoice_proforma"
        )

    def test_send_proforma_by_email(self):
        self.customer.email = "iris@orchid-florists.example"
        action = self.contract.action_send_proforma()
        composer = (
            self.env[action["res_model"]]
            .with_context(**action["context"], force_report_rendering=True)
            .create({})
        )
        self.assertIn("pro-forma estimate", composer.subject)
        self.assertIn("Payment within 30 days.", composer.body)
        self.assertIn("Pay within 10 days and save 2 %.", composer.body)
        composer._action_send_mail()
        message = self.contract.message_ids[0]
        self.assertIn(self.customer, message.partner_ids)
        pdf = message.attachment_ids
        self.assertEqual(pdf.mapped("name"), [f"Pro-forma - {self.contract.name}.pdf"])
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF-"), "rendered by wkhtmltopdf")
        self.assertEqual(len(PdfReader(io.BytesIO(pdf.raw)).pages), 1)
        # and from a draft invoice
        invoice = self._invoice(self.customer, 480.0, "2026-02-01", post=False)
        action = invoice.action_billing_send_proforma()
        composer = (
            self.env[action["res_model"]]
            .with_context(**action["context"], force_report_rendering=True)
            .create({})
        )
        composer._action_send_mail()
        pdf = invoice.message_ids[0].attachment_ids
        self.assertEqual(len(pdf), 1)
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF-"))
        self.assertEqual(len(PdfReader(io.BytesIO(pdf.raw)).pages), 1)

    def test_reminders_show_terms_and_note(self):
        invoice = self._invoice(self.customer, 700.0, "2026-02-01")
        event = (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "kind": "email",
                    "state": "done",
                    "move_ids": [Command.set(invoice.ids)],
                }
            )
        )
        html = str(
            self.env["ir.qweb"]._render(
                "billing_followup.followup_how_to_pay", {"object": event}
            )
        )
        self.assertIn("Agreed payment terms: Payment within 30 days.", html)
        self.assertIn("Congratulations on your new shop!", html)
