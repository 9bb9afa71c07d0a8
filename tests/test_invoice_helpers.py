from .common import BillingFollowupCommon


class TestInvoiceHelpers(BillingFollowupCommon):
    """The shared helpers make real posted invoices and payments."""

    def test_invoice_and_partial_payment(self):
        invoice = self._invoice(self.customer, 1000.0, "2026-01-10", "2026-02-09")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(str(invoice.invoice_date_due), "2026-02-09")
        self.assertEqual(invoice.amount_residual, 1000.0)
        self._pay(invoice, amount=400.0, date="2026-02-01")
        self.assertEqual(invoice.amount_residual, 600.0)
        self.assertEqual(invoice.payment_state, "partial")
