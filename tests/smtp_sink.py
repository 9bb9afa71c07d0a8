"""A real SMTP server on 127.0.0.1 for the tests about sending mail."""

import email
import socket
from email import policy
from unittest.mock import patch

from aiosmtpd.controller import Controller


class SmtpSink:
    """Keeps what it receives as (recipients, parsed message) pairs; refuses
    the addresses in `refused` as a real server refuses an unknown mailbox."""

    def __init__(self):
        self.messages = []
        self.refused = set()
        self.controller = None
        self.port = None

    def start(self, sock=None):
        """Listen on `sock`, or again on the sink's port after `stop`."""
        if sock is None:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))
        self.controller = BoundController(self, sock)
        self.controller.start()
        self.port = self.controller.port

    def stop(self):
        """Close the port, as a mail server that went down."""
        if self.controller:
            self.controller.stop()
            self.controller = None

    def recipients(self):
        """Every recipient address received, once per message."""
        return sorted(rcpt for rcpts, _message in self.messages for rcpt in rcpts)

    async def handle_RCPT(
        self, server, session, envelope, address, rcpt_options
    ):  # aiosmtpd hook
        if address.lower() in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"


class BoundController(Controller):
    """Serves on a socket the test bound itself (port 0: the system picks a
    free port), so no other process can take the port in between."""

    def __init__(self, handler, sock):
        self.sock = sock
        hostname, port = sock.getsockname()
        super().__init__(handler, hostname=hostname, port=port)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock)


def start_smtp_sink(test):
    """Start a sink for `test`, make it Odoo's outgoing server and let Odoo
    send (it never does under tests); all undone at the test's cleanup."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    test.addCleanup(sock.close)
    sink = SmtpSink()
    sink.start(sock)
    test.addCleanup(sink.stop)
    test.env["ir.mail_server"].create(
        {
            "name": "Test sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": sink.port,
            "smtp_encryption": "none",
        }
    )
    mail_server_class = type(test.env["ir.mail_server"])
    patcher = patch.object(mail_server_class, "_disable_send", return_value=False)
    patcher.start()
    test.addCleanup(patcher.stop)
    return sink
