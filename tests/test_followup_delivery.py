"""End to end: the engine's reminder leaves through Odoo's mail queue and
reaches a real SMTP server on 127.0.0.1, with the stored invoice PDF."""

from .followup_common import FollowupEngineCommon, day
from .smtp_sink import start_smtp_sink


class TestReminderDelivery(FollowupEngineCommon):
    def setUp(self):
        super().setUp()
        self.sink = start_smtp_sink(self)

    def test_reminder_reaches_the_invoicing_contact(self):
        self.steps[14].write({"attach_invoices": True, "attach_statement": True})
        contact = self.env["res.partner"].create(
            {
                "name": "Iris Accounts",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "iris@orchid-florists.example",
            }
        )
        invoice = self._invoice(self.customer, 640.0, day(-40), day(-15))
        stored = self.env["ir.attachment"].create(
            {
                "name": "stored-invoice.pdf",
                "raw": b"%PDF-1.4 the stored invoice",
                "mimetype": "application/pdf",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        invoice.invalidate_recordset(["invoice_pdf_report_id"])
        self._run(day(0))
        mail = self._events(kind="email").mail_id
        self.assertIn(stored, mail.attachment_ids, "the stored PDF is reused")
        self.env["mail.mail"].process_email_queue(email_ids=mail.ids)
        self.assertEqual(len(self.sink.messages), 1)
        recipients, message = self.sink.messages[0]
        self.assertEqual(recipients, [contact.email])
        self.assertIn("second reminder", message["Subject"])
        self.assertIn("billing@company-a.example", message["From"])
        body = message.get_body(preferencelist=("html",)).get_content()
        self.assertIn(invoice.name, body)
        self.assertIn("640.00", body)
        attachments = {
            part.get_filename(): part.get_content()
            for part in message.iter_attachments()
        }
        self.assertEqual(
            attachments.pop("stored-invoice.pdf"), b"%PDF-1.4 the stored invoice"
        )
        [statement] = attachments
        self.assertTrue(statement.startswith("Statement"))
