import io

from pypdf import PdfReader

from .common import BillingFollowupCommon


class TestInvoicePdf(BillingFollowupCommon):
    """wkhtmltopdf renders a real invoice PDF (tests get HTML unless forced).

    Debian's wkhtmltopdf (unpatched Qt) draws web fonts as outlines, so the
    PDF has no extractable text: the content is checked on the HTML the PDF
    is printed from, the PDF on its structure.
    """

    def test_invoice_pdf_renders(self):
        invoice = self._invoice(
            self.customer, 1234.5, "2026-10-01", "2026-10-31", label="Spring bouquets"
        )
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report._render_qweb_pdf(
            "account.account_invoices", invoice.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
        html, _type = Report._render_qweb_html("account.account_invoices", invoice.ids)
        html = html.decode()
        for expected in (
            invoice.name,
            "Orchid Florists",
            "Spring bouquets",
            "1,234.50",
        ):
            self.assertIn(expected, html)
