"""What the engine prints and attaches, rendered by wkhtmltopdf as real PDFs
(tests get HTML unless `force_report_rendering` is set): the letter, the
statement attached to a reminder and the invoice PDFs it attaches. Debian's
wkhtmltopdf draws fonts as outlines, so the text is checked on the HTML the
PDF is printed from, the PDF on its structure."""

import io

from pypdf import PdfReader

from .followup_common import FollowupEngineCommon, day, total_lines


class TestFollowupDocuments(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write(
            {"street": "12 Harbour Road", "zip": "PO1 2AB", "city": "Portsmouth"}
        )
        cls.customer.write({"street": "5 Garden Lane", "city": "Shelbyville"})
        cls.eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        cls.Report = cls.env["ir.actions.report"].with_context(
            force_report_rendering=True
        )

    def _assert_pdf(self, pdf, pages=1):
        self.assertTrue(pdf.startswith(b"%PDF-"), pdf[:20])
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), pages)

    def _html(self, report, records):
        html, _type = self.Report._render_qweb_html(report, records.ids)
        return html.decode()

    def _items(self):
        return (
            self._invoice(self.customer, 432.0, day(-40), day(-22), label="Roses")
            | self._invoice(self.customer, 68.0, day(-30), day(-5), label="Vases")
            | self._invoice(
                self.customer, 250.0, day(-30), day(-4), currency_id=self.eur.id
            )
        )

    def test_letter_is_a_pdf_on_letterhead_with_items_and_totals(self):
        invoices = self._items()
        self._run(day(0))
        letter = self._events(kind="letter")
        self.assertEqual(letter.step_id, self.steps[21])
        pdf, report_type = self.Report._render_qweb_pdf(
            "billing_followup.report_followup_letter", letter.ids
        )
        self.assertEqual(report_type, "pdf")
        self._assert_pdf(pdf)
        html = self._html("billing_followup.report_followup_letter", letter)
        text = " ".join(html.split())
        for expected in (
            self.company.name,
            "12 Harbour Road",
            "Portsmouth",
            "Orchid Florists",
            "5 Garden Lane",
            "Dear Orchid Florists,",
            "Final",
            *invoices.mapped("name"),
        ):
            self.assertIn(expected, text)
        self.assertEqual(
            total_lines(html), ["Overdue now 250.00 €", "Overdue now $ 500.00"]
        )

    def test_letter_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["billing_followup"], ["es_ES"], overwrite=True
        )
        self.customer.lang = "es_ES"
        self._invoice(self.customer, 432.0, day(-40), day(-22))
        self._run(day(0))
        letter = self._events(kind="letter")
        html = self._html("billing_followup.report_followup_letter", letter)
        self.assertIn("Días de retraso", html)
        self.assertNotIn("Days late", html)
        self.assertIn("<h4>Aviso final</h4>", html, "the title in Spanish too")

    def test_reminder_attaches_a_statement_and_the_invoice_pdfs(self):
        """Invoices never sent get their PDF rendered and stored as Odoo
        stores it when sending; the statement is a PDF of the open items."""
        self.steps[7].write({"attach_invoices": True, "attach_statement": True})
        roses = self._invoice(self.customer, 432.0, day(-40), day(-8), label="Roses")
        vases = self._invoice(
            self.customer, 250.0, day(-30), day(-4), currency_id=self.eur.id
        )
        self.assertFalse((roses | vases).invoice_pdf_report_id)
        self.engine.with_context(force_report_rendering=True)._run(
            date=day(0), partners=self.customer
        )
        email = self._events(kind="email")
        self.assertEqual(email.step_id, self.steps[7])
        attachments = email.mail_id.attachment_ids
        self.assertEqual(len(attachments), 3)
        for invoice in roses | vases:
            stored = invoice.invoice_pdf_report_id
            self.assertIn(stored, attachments)
            self.assertEqual(stored.mimetype, "application/pdf")
            self.assertEqual(stored.res_field, "invoice_pdf_report_file")
            self._assert_pdf(stored.raw)
        statement = attachments - (roses | vases).invoice_pdf_report_id
        self.assertEqual(statement.name, f"Statement {day(0)}.pdf")
        self.assertEqual(statement.mimetype, "application/pdf")
        self._assert_pdf(statement.raw)
        # the customer's outstanding statement on the reminder's date
        html, _type = self.Report._render_qweb_html(
            "billing_followup.report_statement_outstanding",
            self.customer.ids,
            data={"date": str(day(0)), "company_id": self.company.id},
        )
        html = html.decode()
        text = " ".join(html.split())
        for expected in ("Statement of account", roses.name, vases.name):
            self.assertIn(expected, text)
        self.assertEqual(
            total_lines(html),
            [
                "Overdue now $ 432.00",
                "Total open $ 432.00",
                "Overdue now 250.00 €",
                "Total open 250.00 €",
            ],
        )

    def test_invoice_pdfs_stores_a_pdf_once(self):
        invoice = self._invoice(self.customer, 432.0, day(-40), day(-8))
        self.assertFalse(invoice.invoice_pdf_report_id)
        engine = self.engine.with_context(force_report_rendering=True)
        pdfs = engine._invoice_pdfs(invoice)
        stored = invoice.invoice_pdf_report_id
        self.assertEqual(pdfs, {invoice: stored})
        self.assertEqual(stored.mimetype, "application/pdf")
        self.assertEqual((stored.res_model, stored.res_id), (invoice._name, invoice.id))
        self._assert_pdf(stored.raw)
        self.assertEqual(engine._invoice_pdfs(invoice), {invoice: stored}, "reused")
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "=", invoice.id),
                    ("res_field", "=", "invoice_pdf_report_file"),
                ]
            ),
            1,
        )
