"""Invoice PDFs a reminder attaches are rendered before the reminders lock
their customers, a chunk at a time; a scheduled run out of time stops
after a chunk and its next run goes on (issue 14)."""

from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.base.models import ir_cron
from odoo.addons.billing_followup.models import billing_followup_engine_pdf
from odoo.addons.billing_followup.models.billing_followup_engine import FollowupRun

from .followup_common import FollowupEngineCommon, day


class TestEnginePdfs(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steps[7].attach_invoices = True

    def _rendered_when(self):
        """Patch the PDF rendering: record, for each invoice rendered,
        whether a reminder event existed for its customer at that time."""
        seen = []
        Send = type(self.env["account.move.send"])
        prepare = Send._prepare_invoice_pdf_report

        def spy(sender, invoices_data):
            for move in invoices_data:
                events = self._events(move.commercial_partner_id, kind="email")
                seen.append((move, bool(events)))
            return prepare(sender, invoices_data)

        return seen, patch.object(Send, "_prepare_invoice_pdf_report", spy)

    def test_pdfs_are_stored_before_the_reminders_act(self):
        roses = self._invoice(self.customer, 432.0, day(-40), day(-8))
        vases = self._invoice(self.customer, 250.0, day(-30), day(-7))
        # a step without attachments renders no PDF
        other = self.customer.copy({"name": "Other"})
        self._invoice(other, 90.0, day(-30), day(-2))
        seen, spy = self._rendered_when()
        with spy:
            counts = self.engine._run(date=day(0), partners=self.customer | other)
        self.assertEqual(counts["invoice_pdfs"], 2)
        self.assertEqual(counts["emails"], 2)
        self.assertEqual(
            sorted(seen, key=lambda s: s[0].id), [(roses, False), (vases, False)]
        )
        mail = self._events(kind="email").mail_id
        self.assertEqual(mail.attachment_ids, (roses | vases).invoice_pdf_report_id)
        with spy:
            self.engine._run(date=day(7), partners=self.customer)
        self.assertEqual(len(seen), 2, "a stored PDF is not rendered again")

    def test_a_scheduled_run_out_of_time_renders_then_reminds(self):
        self.customer.tz = "UTC"
        invoices = [
            self._invoice(self.customer, 100.0 + n, day(-40), day(-8)) for n in range(3)
        ]
        cron = self.env.ref("billing_followup.ir_cron_billing_followup")
        Trigger = self.env["ir.cron.trigger"]
        stored, reminded = [], []
        with (
            # Odoo gives the job no time: it stops after each commit.
            patch.object(ir_cron, "MIN_TIME_PER_JOB", 0),
            patch.object(ir_cron, "MIN_RUNS_PER_JOB", 1),
            patch.object(billing_followup_engine_pdf, "PDF_CHUNK", 1),
            freeze_time(datetime(2026, 3, 2, 10, 0)),
        ):
            for _run in range(6):
                Trigger.search([("cron_id", "=", cron.id)]).unlink()
                with self.enter_registry_test_mode():
                    cron.method_direct_trigger()
                stored.append(sum(bool(i.invoice_pdf_report_id) for i in invoices))
                reminded.append(len(self._events(kind="email")))
                if reminded[-1]:
                    break
                self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]))
        self.assertEqual(stored, [1, 2, 3], "one chunk per run, then the reminder")
        self.assertEqual(reminded, [0, 0, 1])
        mail = self._events(kind="email").mail_id
        self.assertEqual(len(mail.attachment_ids), 3)


class TestEngineStatementPdfs(FollowupEngineCommon):
    """A step that attaches the customer's statement: the PDF is rendered
    before the lock and attached if the figures are still the same."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steps[7].attach_statement = True
        cls.Attachment = cls.env["ir.attachment"]

    def _renders(self):
        """Patch the report rendering: record, for each statement rendered,
        whether the customer's reminder event existed at that time."""
        seen = []
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf

        def spy(report, report_ref, res_ids=None, data=None):
            seen.append(
                bool(self._events(kind="email") or self._events(kind="statement"))
            )
            return render(report, report_ref, res_ids, data)

        return seen, patch.object(Report, "_render_qweb_pdf", spy)

    def _left(self):
        """Statements rendered and attached to nothing."""
        return self.Attachment.search(
            [("res_model", "=", "billing.followup.event"), ("res_id", "=", False)]
        )

    def _statement(self, event):
        return event.mail_id.attachment_ids.filtered(
            lambda a: a.name.startswith("Statement")
        )

    def test_the_statement_is_rendered_before_the_lock(self):
        self._invoice(self.customer, 432.0, day(-40), day(-8))
        seen, spy = self._renders()
        with spy:
            counts = self._run(day(0))
        self.assertEqual((counts["statement_pdfs"], counts["emails"]), (1, 1))
        self.assertEqual(seen, [False], "rendered once, before the reminder")
        event = self._events(kind="email")
        statement = self._statement(event)
        self.assertEqual(
            (statement.res_model, statement.res_id),
            ("billing.followup.event", event.id),
        )
        self.assertIn(b"432.00", statement.raw, "the statement of the invoice")
        self.assertFalse(self._left())

    def test_a_payment_before_the_lock_renders_the_statement_again(self):
        invoice = self._invoice(self.customer, 432.0, day(-40), day(-8))
        self._invoice(self.customer, 250.0, day(-30), day(-7))
        Engine = type(self.engine)
        prerender = Engine._pass_statement_pdfs

        def paid_meanwhile(engine, run):
            counts = prerender(engine, run)
            self._pay(invoice, amount=100.0, date=day(0))
            return counts

        seen, spy = self._renders()
        with spy, patch.object(Engine, "_pass_statement_pdfs", paid_meanwhile):
            self._run(day(0))
        self.assertEqual(seen, [False, True], "the figures changed: rendered again")
        statement = self._statement(self._events(kind="email"))
        self.assertEqual(len(statement), 1)
        self.assertFalse(self._left(), "the first rendering is dropped")

    def test_a_statement_no_reminder_took_is_dropped(self):
        invoice = self._invoice(self.customer, 432.0, day(-40), day(-8))
        old = self.Attachment.create(
            {
                "name": "Statement.pdf",
                "raw": b"%PDF",
                "res_model": "billing.followup.event",
            }
        )
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = now() - interval '2 days'"
            " WHERE id = %s",
            [old.id],
        )
        Engine = type(self.engine)
        prerender = Engine._pass_statement_pdfs

        def paid_meanwhile(engine, run):
            counts = prerender(engine, run)
            self._pay(invoice, date=day(0))
            return counts

        with patch.object(Engine, "_pass_statement_pdfs", paid_meanwhile):
            counts = self._run(day(0))
        self.assertEqual((counts["statement_pdfs"], counts.get("emails", 0)), (1, 0))
        self.assertFalse(self._left(), "neither this run's nor a stopped run's")

    def test_a_stopped_run_s_statements_are_taken_by_the_next(self):
        self._invoice(self.customer, 432.0, day(-40), day(-8))
        # a run that rendered the statement and stopped before the reminders
        stopped = FollowupRun(day(0), self.customer, datetime(2026, 3, 2), False)
        self.engine._plan_run(stopped)
        self.engine._pass_statement_pdfs(stopped)
        [(_on, _digest, rendered, _own)] = stopped.statement_pdfs.values()
        seen, spy = self._renders()
        with spy:
            counts = self._run(day(0))
        self.assertEqual((counts["statement_pdfs"], seen), (0, []))
        statement = self._statement(self._events(kind="email"))
        self.assertEqual(statement.id, rendered)

    def test_monthly_statements_are_rendered_before_the_lock(self):
        self.steps[7].attach_statement = False
        self.sequence.statement_day = 5
        self._invoice(self.customer, 300.0, day(-10), day(95))
        nothing_open = self.customer.copy({"name": "Paid up"})
        self.sequence.flush_recordset()
        seen, spy = self._renders()
        with spy:
            counts = self._run(day(3), self.customer | nothing_open)
        self.assertEqual((counts["statements"], counts["statement_pdfs"]), (1, 1))
        self.assertEqual(seen, [False], "no PDF for nothing open, none locked")
        [pdf] = self._events(kind="statement").mail_id.attachment_ids
        self.assertEqual(pdf.name, "Statement 2026-03-05.pdf")
        self.assertIn(b"300.00", pdf.raw)
        self.assertFalse(self._left())
