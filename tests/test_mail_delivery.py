import email
import socket
from email import policy
from unittest.mock import patch

from aiosmtpd.controller import Controller

from .common import BillingFollowupCommon


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestMailDelivery(BillingFollowupCommon):
    """A message posted on an invoice leaves through Odoo's mail queue and
    reaches a real SMTP server with its recipient, subject and attachment."""

    def setUp(self):
        super().setUp()
        self.sink = SmtpSink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=_free_port())
        self.controller.start()
        self.addCleanup(self.controller.stop)
        self.env["ir.mail_server"].create(
            {
                "name": "Test sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.controller.port,
                "smtp_encryption": "none",
            }
        )
        # Odoo never sends during tests; this test is about sending.
        mail_server_class = type(self.env["ir.mail_server"])
        patcher = patch.object(mail_server_class, "_disable_send", return_value=False)
        patcher.start()
        self.addCleanup(patcher.stop)

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
