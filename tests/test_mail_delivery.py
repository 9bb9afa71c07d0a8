from .common import BillingFollowupCommon
from .smtp_sink import start_smtp_sink


class TestMailDelivery(BillingFollowupCommon):
    """A message posted on an invoice leaves through Odoo's mail queue and
    reaches a real SMTP server with its recipient, subject and attachment."""

    def setUp(self):
        super().setUp()
        self.sink = start_smtp_sink(self)

    def test_message_reaches_smtp_server(self):
        invoice = self._invoice(self.customer, 250.0, "2026-10-01", "2026-10-31")
        # Queue the notification instead of sending it at once.
        invoice.with_context(mail_notify_force_send=False).message_post(
            body="Thank you for your order. Your invoice is attached.",
            subject=f"Invoice {invoice.name}",
            partner_ids=self.customer.ids,
            email_from="Accounts <accounts@company.example>",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("terms.txt", b"Payment within 30 days.")],
        )
        queued = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids)]
        )
        self.assertEqual(len(queued), 1)
        self.env["mail.mail"].process_email_queue(email_ids=queued.ids)
        # Sent notifications leave the queue; failed ones stay as exceptions.
        self.assertFalse(queued.exists())
        self.assertEqual(len(self.sink.messages), 1)
        recipients, message = self.sink.messages[0]
        self.assertEqual(recipients, ["accounts@orchid-florists.example"])
        self.assertEqual(message["Subject"], f"Invoice {invoice.name}")
        body = message.get_body(preferencelist=("html", "plain")).get_content()
        self.assertIn("Your invoice is attached.", body)
        attachments = {
            part.get_filename(): part.get_content()
            for part in message.iter_attachments()
        }
        self.assertEqual(attachments, {"terms.txt": "Payment within 30 days."})
