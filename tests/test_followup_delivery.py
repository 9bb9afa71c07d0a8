"""End to end: the engine's reminder leaves through Odoo's mail queue and
reaches a real SMTP server on 127.0.0.1, with the stored invoice PDF and a
statement rendered by wkhtmltopdf; an address the server refuses becomes a
task for a person."""

import io

from pypdf import PdfReader

from odoo.tests import new_test_user

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
        self.engine.with_context(force_report_rendering=True)._run(
            date=day(0), partners=self.customer
        )
        mail = self._events(kind="email").mail_id
        self.assertIn(stored, mail.attachment_ids, "the stored PDF is reused")
        self.env["mail.mail"].process_email_queue(email_ids=mail.ids)
        self.assertEqual(len(self.sink.messages), 1)
        recipients, message = self.sink.messages[0]
        self.assertEqual(recipients, [contact.email])
        self.assertIn("reminder, payment overdue", message["Subject"])
        self.assertIn("billing@company-a.example", message["From"])
        body = message.get_body(preferencelist=("html",)).get_content()
        self.assertIn(invoice.name, body)
        self.assertIn("640.00", body)
        attachments = {
            part.get_filename(): (part.get_content_type(), part.get_content())
            for part in message.iter_attachments()
        }
        self.assertEqual(
            attachments.pop("stored-invoice.pdf"),
            ("application/pdf", b"%PDF-1.4 the stored invoice"),
        )
        self.assertEqual(list(attachments), [f"Statement {day(0)}.pdf"])
        mimetype, statement = attachments.popitem()[1]
        self.assertEqual(mimetype, "application/pdf")
        self.assertTrue(statement.startswith(b"%PDF-"))
        self.assertEqual(len(PdfReader(io.BytesIO(statement)).pages), 1)

    def test_refused_address_becomes_a_task(self):
        """The server answers 550: the mail fails, the next run turns the
        reminder into a task for the customer's follow-up responsible."""
        clerk = new_test_user(
            self.env,
            login="bf_bounce_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        self.customer.with_company(self.company).billing_responsible_id = clerk
        self.sink.refused.add(self.customer.email)
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        email = self._events(kind="email")
        self.env["mail.mail"].process_email_queue(email_ids=email.mail_id.ids)
        self.assertEqual(email.mail_id.state, "exception")
        self.assertEqual(self.sink.messages, [])
        self.assertEqual(email.state, "done", "judged at the next run")
        self._run(day(1))
        self.assertEqual(email.state, "failed")
        self.assertIn("550", email.note)
        self.assertIn("No such user here", email.note)
        activity = email.activity_id
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.user_id, clerk)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.date_deadline, day(0))
        self.assertIn("No such user here", activity.note)
        self._run(day(2))
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            ),
            1,
            "one task, not one per run",
        )
