"""Outages heal: a mail server that cannot be reached delays reminders, it
does not turn them into failures; only a refusal needs a person."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tools import mute_logger

from odoo.addons.billing_followup.tools import followup_failures as failures

from .followup_common import FollowupEngineCommon, day
from .smtp_sink import start_smtp_sink

RETRYING = "The mail server could not be reached; it will retry."


class TestMailOutage(FollowupEngineCommon):
    def setUp(self):
        super().setUp()
        self.sink = start_smtp_sink(self)
        self.customers = self.customer
        for n in (2, 3):
            self.customers |= self.customer.copy(
                {"name": f"Customer {n}", "email": f"ap{n}@customer-{n}.example"}
            )
        for customer in self.customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        self._run(day(0), self.customers)
        self.events = self._events(self.customers, kind="email")
        self.assertEqual(len(self.events.mail_id), 3)

    def _send_queue(self):
        with mute_logger(
            "odoo.addons.mail.models.mail_mail",
            "odoo.addons.base.models.ir_mail_server",
        ):
            self.env["mail.mail"].process_email_queue(email_ids=self.events.mail_id.ids)

    def test_sink_stopped_during_the_queue_then_restarted(self):
        """The server goes down after the first reminder: the others wait in
        the queue and arrive once each when it is back; nobody is bothered."""
        mail_server = type(self.env["ir.mail_server"])
        send_email = mail_server.send_email

        def send_then_go_down(server, *args, **kwargs):
            result = send_email(server, *args, **kwargs)
            self.sink.stop()
            return result

        with patch.object(mail_server, "send_email", send_then_go_down):
            self._send_queue()
        self.assertEqual(len(self.sink.messages), 1)
        self._send_queue()  # still down: connection refused
        waiting = self.events.mail_id.filtered(lambda m: m.state != "sent")
        self.assertEqual(len(waiting), 2)
        self.assertEqual(set(waiting.mapped("state")), {"exception"})

        self._run(day(1), self.customers)
        self.assertEqual(set(waiting.mapped("state")), {"outgoing"})
        self.assertEqual(waiting.mapped("billing_retry_count"), [1, 1])
        self.assertEqual(set(self.events.mapped("state")), {"done"})
        retried = self.events.filtered(lambda e: e.mail_id in waiting)
        self.assertEqual(retried.mapped("note"), [RETRYING, RETRYING])
        self.assertFalse(self._events(self.customers, kind="activity"))
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.customers.ids),
                ]
            )
        )

        self.sink.start()
        self._send_queue()  # not before the retry time
        self.assertEqual(len(self.sink.messages), 1)
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            self._send_queue()
        self.assertEqual(set(self.events.mail_id.mapped("state")), {"sent"})
        self.assertEqual(self.sink.recipients(), sorted(self.customers.mapped("email")))

    def test_outage_longer_than_the_retry_period_needs_a_person(self):
        self.sink.stop()
        self._send_queue()
        mails = self.events.mail_id
        self.assertEqual(set(mails.mapped("state")), {"exception"})
        self._run(day(1), self.customers)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self._send_queue_at(mails[0].create_date + timedelta(days=1))
        self._run(day(2), self.customers)
        self.assertEqual(mails.mapped("billing_retry_count"), [2, 2, 2])
        later = (
            max(mails.mapped("create_date")) + failures.RETRY_FOR + timedelta(minutes=1)
        )
        self._send_queue_at(later)
        with freeze_time(later):
            self._run(day(3), self.customers)
        self.assertEqual(set(self.events.mapped("state")), {"failed"})
        self.assertEqual(
            set(self.events.mapped("note")),
            {
                "The mail server could not be reached for 2 days: the reminder "
                "was not sent."
            },
        )
        self.assertEqual(len(self.events.activity_id), 3)

    def _send_queue_at(self, moment):
        with freeze_time(moment):
            self._send_queue()

    def test_refused_address_needs_a_person_at_once(self):
        mail = self.events[0].mail_id
        mail.write(
            {
                "state": "exception",
                "failure_type": "mail_email_invalid",
                "failure_reason": "Invalid email address 'ap@'",
            }
        )
        self._run(day(1), self.customers)
        self.assertEqual(mail.state, "exception", "not retried")
        self.assertEqual(self.events[0].state, "failed")
        self.assertEqual(
            self.events[0].note,
            "The email could not be delivered: Invalid email address 'ap@'",
        )
        self.assertTrue(self.events[0].activity_id)
        self.assertEqual(set((self.events - self.events[0]).mapped("state")), {"done"})


class TestFailureWords(FollowupEngineCommon):
    """The classification of mail failures, on plain values."""

    def test_transient_or_permanent(self):
        self.assertTrue(failures.is_transient("mail_smtp", "anything"))
        self.assertTrue(failures.is_transient(False, "[Errno 111] Connection refused"))
        self.assertTrue(failures.is_transient("unknown", "421 Service not available"))
        self.assertFalse(failures.is_transient("unknown", "550 5.1.1 No such user"))
        self.assertFalse(failures.is_transient("mail_bl", "[Errno 111]"))
        refused = (
            "Mail Delivery Failed\nMail delivery failed via SMTP server 'x'.\n"
            "SMTPRecipientsRefused: {'ap450@shop.example': (550, b'5.1.1 No such')}"
        )
        self.assertFalse(failures.is_transient("unknown", refused))
        self.assertEqual(
            failures.mail_reason(refused),
            "SMTPRecipientsRefused: {'ap450@shop.example': (550, b'5.1.1 No such')}",
        )
        self.assertTrue(failures.is_transient("unknown", "(451, b'4.3.0 Try later')"))
        self.assertFalse(failures.is_transient("mail_email_invalid", ""))

    def test_retry_delay_grows_then_stops(self):
        now = fields.Datetime.now()
        self.assertEqual(failures.retry_at(now, 0), now + timedelta(minutes=10))
        self.assertEqual(failures.retry_at(now, 2), now + timedelta(minutes=40))
        self.assertEqual(failures.retry_at(now, 9), now + timedelta(hours=4))
        self.assertFalse(failures.gives_up(now, now + timedelta(hours=47), 3))
        self.assertTrue(failures.gives_up(now, now + timedelta(hours=48), 3))
        self.assertTrue(failures.gives_up(now, now, failures.MAX_ATTEMPTS))

    def test_short_reason_is_never_a_traceback(self):
        error = ValueError("Failed to render\n\nTraceback (most recent call last):")
        self.assertEqual(failures.short_reason(error), "Failed to render")
        self.assertEqual(failures.short_reason(KeyError()), "KeyError")
        self.assertEqual(len(failures.short_reason(ValueError("x" * 500))), 200)
