"""One failure stays with its customer: a template, a PDF or a company that
fails is reported to a person, and everyone else's follow-up goes on."""

from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .followup_common import FollowupEngineCommon, day

BROKEN_BODY = '<p t-out="object.billing_no_such_field"/>'


class TestOneFailureStaysWithItsCustomer(FollowupEngineCommon):
    def setUp(self):
        super().setUp()
        self.responsible = new_test_user(
            self.env, "followup.responsible", groups="account.group_account_invoice"
        )
        self.company.billing_responsible_id = self.responsible
        self.others = self.customer.copy({"name": "Second customer"})
        self.others |= self.customer.copy({"name": "Third customer"})
        self.bad = self.customer.copy({"name": "Broken customer"})
        self.customers = self.others | self.bad
        self.invoices = {
            customer: self._invoice(customer, 100.0, day(-40), day(-2))
            for customer in self.customers
        }

    def _own_ladder(self, customer):
        """A copy of the test ladder for `customer` alone."""
        ladder = self.sequence.copy({"name": f"{customer.name} ladder"})
        customer.with_company(self.company).billing_followup_sequence_id = ladder
        return {step.offset_days: step for step in ladder.step_ids}

    def _broken_template(self, xmlid="billing_followup.mail_template_reminder"):
        """A template that broke after it was saved (e.g. a field whose module
        was uninstalled): Odoo's save-time check, which only runs when a
        record of the model exists, is skipped so the test does not depend
        on the demo data."""
        template = self.env.ref(xmlid)
        with patch.object(
            type(template), "_check_can_be_rendered", lambda *a, **k: None
        ):
            # sudo: the test writes a QWeb body, which needs the template editor right
            return template.sudo().copy({"body_html": BROKEN_BODY})

    def _run_quiet(self, on, partners=None):
        with mute_logger("odoo.addons.billing_followup", "odoo.addons.mail"):
            return self._run(on, partners or self.customers)

    def _assert_others_reminded(self):
        emails = self._events(self.others, kind="email")
        self.assertEqual(emails.partner_id, self.others)
        self.assertEqual(set(emails.mapped("state")), {"done"})
        self.assertEqual(len(emails.mail_id), 2)

    def _assert_failure(self, reason, kind="email"):
        failed = self._events(self.bad, state="failed")
        self.assertEqual(len(failed), 1, failed.mapped("note"))
        self.assertEqual(failed.kind, kind)
        self.assertTrue(failed.note.startswith("Not sent: "), failed.note)
        self.assertIn(reason, failed.note)
        self.assertNotIn("Traceback", failed.note)
        self.assertFalse(failed.mail_id)
        activity = failed.activity_id
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.bad.id)
        self.assertEqual(activity.user_id, self.responsible)
        self.assertIn(reason, str(activity.note))
        return failed

    def test_broken_template_of_one_customer(self):
        self._own_ladder(self.bad)[1].mail_template_id = self._broken_template()
        counts = self._run_quiet(day(0))
        self._assert_others_reminded()
        self.assertEqual(counts["emails"], 2)
        self.assertEqual(counts["failed"], 1)
        self._assert_failure("Failed to render")
        self.assertFalse(self._events(self.bad, state="done"))

        # The next run of the day tries again, and tells nobody twice.
        self.assertEqual(self._run_quiet(day(0))["failed"], 1)
        self._assert_failure("Failed to render")
        # The next day it is reported again, once.
        self._run_quiet(day(1))
        self.assertEqual(len(self._events(self.bad, state="failed")), 2)

    def test_contact_whose_data_breaks_the_shared_template(self):
        """One template for everyone, rendered in one go for the batch: the
        customer whose data it cannot render fails alone."""
        # sudo: the test writes a QWeb body, which needs the template editor right
        template = (
            self.env.ref("billing_followup.mail_template_reminder")
            .sudo()
            .copy(
                {
                    "body_html": '<p>Account <t t-out="object.partner_id.ref and '
                    'int(object.partner_id.ref)"/></p>'
                }
            )
        )
        self.steps[1].mail_template_id = template
        self.others[0].ref = "1042"
        self.bad.ref = "ACME-7"
        counts = self._run_quiet(day(0))
        self._assert_others_reminded()
        self.assertEqual(counts["failed"], 1)
        self._assert_failure("Failed to render")
        self.assertIn("Account 1042", self._events(self.others[0]).mail_id.body_html)

    def test_failing_pass_leaves_the_others_to_run(self):
        engine_class = type(self.engine)
        with patch.object(
            engine_class, "_settled_reminders", side_effect=RuntimeError("query")
        ):
            counts = self._run_quiet(day(0))
        self.assertEqual(counts["failed_passes"], 1)
        self.assertEqual(counts["emails"], 3)

    def test_fixed_template_sends_at_the_next_run(self):
        steps = self._own_ladder(self.bad)
        steps[1].mail_template_id = self._broken_template()
        self._run_quiet(day(0))
        steps[1].mail_template_id = self.env.ref(
            "billing_followup.mail_template_reminder"
        )
        counts = self._run_quiet(day(0))
        self.assertEqual(counts["emails"], 1)
        self.assertEqual(len(self._events(self.bad, kind="email", state="done")), 1)
        self.assertEqual(len(self._events(self.others, kind="email")), 2)

    def test_deleted_template(self):
        steps = self._own_ladder(self.bad)
        template = self._broken_template()
        steps[1].mail_template_id = template
        template.unlink()
        self.assertFalse(steps[1].mail_template_id)
        self._run_quiet(day(0))
        self._assert_others_reminded()
        self._assert_failure("has no email template")

    def test_failing_pdf_of_one_customer(self):
        self.steps[1].attach_invoices = True
        bad_invoice = self.invoices[self.bad]
        sender = type(self.env["account.move.send"])
        prepare = sender._prepare_invoice_pdf_report

        def wkhtmltopdf_fails(self_, invoices_data):
            if bad_invoice in invoices_data:
                raise UserError("Wkhtmltopdf failed (error code: -11). Memory limit?")
            return prepare(self_, invoices_data)

        with patch.object(sender, "_prepare_invoice_pdf_report", wkhtmltopdf_fails):
            self._run_quiet(day(0))
        self._assert_others_reminded()
        self._assert_failure("Wkhtmltopdf failed (error code: -11)")

    def test_failing_thank_you_does_not_stop_the_reminders(self):
        ladder = self._own_ladder(self.bad)[1].sequence_id
        # made before any event exists: Odoo refuses to save a template that
        # fails on an existing record
        broken = self._broken_template("billing_followup.mail_template_thanks")
        self._run_quiet(day(0), self.bad)
        ladder.write({"send_thanks": True, "thanks_template_id": broken.id})
        self._pay(self.invoices[self.bad], date=day(1))
        counts = self._run_quiet(day(2))
        self._assert_others_reminded()
        self.assertEqual(counts["thanks"], 0)
        self._assert_failure("Failed to render", kind="thanks")


class TestCompanyIsolation(FollowupEngineCommon):
    def test_company_whose_run_raises_does_not_stop_the_others(self):
        """The scheduled action itself: company B fails, A is followed up."""
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.sequence = -1  # run first
        self.customer.tz = "UTC"
        self._invoice(self.customer, 100.0, day(-40), day(1))
        engine_class = type(self.engine)
        candidates = engine_class._candidates

        def broken_for_b(engine, partners=None):
            if engine.env.company == company_b:
                raise RuntimeError("company B is broken")
            return candidates(engine, partners)

        cron = self.env.ref("billing_followup.ir_cron_billing_followup")
        with (
            patch.object(engine_class, "_candidates", broken_for_b),
            freeze_time(datetime(2026, 3, 5, 10, 0)),
            self.enter_registry_test_mode(),
            self.assertLogs("odoo.addons.billing_followup", "ERROR") as logs,
        ):
            cron.method_direct_trigger()
        self.assertIn("Company B", "\n".join(logs.output))
        self.assertEqual(self._events(kind="email").date, day(3))
