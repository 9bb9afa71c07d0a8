"""A real SMTP server on 127.0.0.1 for the tests about sending mail."""

import email
import socket
from email import policy
from unittest.mock import patch

from aiosmtpd.controller import Controller


class SmtpSink:
    """Keeps what it receives as (recipients, parsed message) pairs."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"


def start_smtp_sink(test):
    """Start a sink for `test`, make it Odoo's outgoing server and let Odoo
    send (it never does under tests); all undone at the test's cleanup."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    test.addCleanup(controller.stop)
    test.env["ir.mail_server"].create(
        {
            "name": "Test sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_encryption": "none",
        }
    )
    mail_server_class = type(test.env["ir.mail_server"])
    patcher = patch.object(mail_server_class, "_disable_send", return_value=False)
    patcher.start()
    test.addCleanup(patcher.stop)
    return sink
