"""Behaviour set on the customer, the invoice and the company: sending days,
the customer's own sequence, interval and invoicing contact, disputes,
stages per company, thank-you edge cases and the event log's rules."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestFollowupBehaviour(FollowupEngineCommon):
    def _sequence(self, name, company, *steps, **values):
        """A sequence sending every day, of `steps` (offset, template, extra)."""
        all_days = self.env["billing.followup.weekday"].search([])
        return self.env["billing.followup.sequence"].create(
            {
                "name": name,
                "company_id": company.id,
                "send_weekday_ids": [Command.set(all_days.ids)],
                "step_ids": [
                    self._step(f"{name} {offset}", offset, template, **extra)
                    for offset, template, extra in steps
                ],
                **values,
            }
        )

    # SENDING RULES

    def test_nothing_on_a_saturday_then_monday_morning(self):
        """Scheduled runs (no date) on the sequence's sending days only."""
        weekdays = self.env["billing.followup.weekday"].search([("number", "<", 5)])
        self.sequence.send_weekday_ids = weekdays
        self._invoice(self.customer, 100.0, day(-40), day(4))  # a Friday
        for saturday_or_sunday in (datetime(2026, 3, 7, 10), datetime(2026, 3, 8, 10)):
            with freeze_time(saturday_or_sunday):
                counts = self.engine._run(partners=self.customer)
            self.assertEqual(counts.get("skipped_weekday"), 1, counts)
        self.assertFalse(self._events())
        with freeze_time(datetime(2026, 3, 9, 10)):  # Monday
            self.assertEqual(self.engine._run(partners=self.customer)["emails"], 1)
        email = self._events(kind="email")
        self.assertEqual(email.date, day(7))
        self.assertEqual(email.step_id, self.steps[1])

    def test_customer_sequence_interval_and_contact(self):
        own = self._sequence(
            "Own",
            self.company,
            (1, "mail_template_final", {}),
            (5, "mail_template_firmer", {}),
        )
        contact = self.env["res.partner"].create(
            {
                "name": "Rosa Payables",
                "parent_id": self.customer.id,
                "email": "rosa@orchid-florists.example",
            }
        )
        self.customer.with_company(self.company).write(
            {
                "billing_followup_sequence_id": own.id,
                "billing_min_interval_days": 6,
                "billing_invoice_contact_id": contact.id,
            }
        )
        self._invoice(self.customer, 100.0, day(-40), day(-1))
        self._run(day(0))
        first = self._events(kind="email")
        self.assertEqual(
            first.step_id, own.step_ids.filtered(lambda s: s.offset_days == 1)
        )
        self.assertEqual(first.contact_id, contact)
        self.assertEqual(first.mail_id.recipient_ids, contact)
        self.assertIn("final notice", first.mail_id.subject)
        # the second step is due on day 4; the customer's 6 days win over 2
        for on in (4, 5):
            self.assertEqual(self._run(day(on)).get("skipped_interval"), 1)
        self._run(day(6))
        second = self._events(kind="email") - first
        self.assertEqual(second.date, day(6))
        self.assertEqual(second.step_id.sequence_id, own)
        self.assertEqual(second.mail_id.recipient_ids, contact)

    def test_invoicing_contact_of_another_customer_is_refused(self):
        stranger = self.env["res.partner"].create(
            {"name": "Someone else", "email": "x@else.example"}
        )
        with self.assertRaises(ValidationError):
            self.customer.billing_invoice_contact_id = stranger

    # DISPUTES

    def test_disputed_invoice_left_out_until_cleared(self):
        disputed = self._invoice(self.customer, 300.0, day(-40), day(-9))
        other = self._invoice(self.customer, 100.0, day(-40), day(-2))
        disputed.billing_disputed = True
        self._run(day(0))
        email = self._events(kind="email")
        self.assertEqual(email.move_ids, other)
        self.assertEqual(email.step_id, self.steps[1], "judged on the other only")
        self.assertNotIn(disputed.name, email.mail_id.body_html)
        other_only = self._invoice(
            self.customer.copy({"name": "Only disputed"}), 50.0, day(-40), day(-9)
        )
        other_only.billing_disputed = True
        self.assertEqual(
            self._run(day(0), other_only.partner_id).get("skipped_nothing_due"), 1
        )
        disputed.billing_disputed = False
        self._run(day(2))
        resumed = self._events(kind="email", date=day(2))
        self.assertEqual(resumed.move_ids, disputed | other)
        self.assertEqual(
            resumed.step_id, self.steps[7], "the oldest item is 11 days late"
        )

    # STAGES PER COMPANY

    def test_stage_and_credit_hold_are_per_company(self):
        Stage = self.env["billing.followup.stage"]
        hold = Stage.create({"name": "On hold", "sequence": 50, "credit_hold": True})
        watch = Stage.create({"name": "Watched", "sequence": 20})
        self.steps[14].stage_id = hold
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.email = "billing@company-b.example"
        company_b.billing_followup_sequence_id = self._sequence(
            "B ladder", company_b, (1, "mail_template_reminder", {"stage_id": watch.id})
        )
        self._invoice(self.customer, 100.0, day(-40), day(-15))
        self._invoice(self.customer, 100.0, day(-40), day(-2), company_id=company_b.id)
        self.assertEqual(self.env.companies, self.company | company_b)
        self._run(day(-8))  # company A: the reminder before the hold
        self._run(day(0))  # one run, both companies
        stages = self._events(kind="stage").sudo()
        self.assertEqual(
            {(e.company_id, e.stage_id) for e in stages},
            {(self.company, hold), (company_b, watch)},
        )
        in_a = self.customer.with_company(self.company)
        in_b = self.customer.with_company(company_b)
        self.assertEqual(in_a.billing_stage_id, hold)
        self.assertTrue(in_a.billing_credit_hold)
        self.assertEqual(in_b.billing_stage_id, watch)
        self.assertFalse(in_b.billing_credit_hold, "on hold in company A only")

    # THANK-YOU NOTES

    def test_thanks_only_once_a_partial_payment_is_completed(self):
        self._enable_thanks()
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, amount=40.0, date=day(1))
        self.assertEqual(self._run(day(2))["thanks"], 0)
        self._pay(invoice, amount=60.0, date=day(3))
        self.assertEqual(self._run(day(4))["thanks"], 1)
        thanks = self._events(kind="thanks")
        self.assertEqual(thanks.date, day(4))
        self.assertEqual(thanks.move_ids, invoice)

    def test_no_thanks_once_the_window_has_passed(self):
        self._enable_thanks()
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, date=day(61))
        self.assertEqual(self._run(day(61))["thanks"], 0)
        self.assertFalse(self._events(kind="thanks"))

    def test_no_thanks_to_an_undeliverable_contact(self):
        self._enable_thanks()
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self.customer.email = False
        self._pay(invoice, date=day(1))
        self.assertEqual(self._run(day(2))["thanks"], 0)
        self.assertFalse(self._events(kind="thanks"))

    def test_thanks_in_the_customer_language(self):
        self._enable_thanks()
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["billing_followup"], ["es_ES"], overwrite=True
        )
        self.customer.lang = "es_ES"
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        self._pay(invoice, date=day(1))
        self.assertEqual(self._run(day(2))["thanks"], 1)
        subject = self._events(kind="thanks").mail_id.subject
        self.assertEqual(subject, f"{self.company.name}: gracias por su pago")

    # THE EVENT LOG

    def test_events_are_not_rewritten_or_deleted(self):
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._run(day(0))
        email = self._events(kind="email").sudo()  # even the engine's rights
        other = self.customer.copy({"name": "Other"})
        for vals in (
            {"partner_id": other.id},
            {"kind": "letter"},
            {"step_id": self.steps[7].id},
            {"date": day(-30)},
            {"user_id": self.env.ref("base.user_admin").id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "cannot be rewritten"),
            ):
                email.write(vals)
        self.assertEqual(email.date, day(0))
        email.write({"state": "cancelled", "note": "paid meanwhile"})
        with self.assertRaisesRegex(UserError, "do not delete them"):
            email.unlink()
        self.assertTrue(email.exists())

    def test_other_company_events_are_invisible_to_a_clerk(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.email = "billing@company-b.example"
        company_b.billing_followup_sequence_id = self.sequence.copy(
            {"name": "B ladder", "company_id": company_b.id}
        )
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self._invoice(self.customer, 200.0, day(-40), day(-2), company_id=company_b.id)
        self.engine.with_context(
            allowed_company_ids=(self.company | company_b).ids
        )._run(date=day(0), partners=self.customer)
        events = self._events().sudo()
        in_b = events.filtered(lambda e: e.company_id == company_b)
        self.assertEqual(len(in_b), 1)
        clerk = new_test_user(
            self.env,
            login="bf_company_a_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        Event = self.env["billing.followup.event"].with_user(clerk)
        self.assertEqual(
            Event.search([("partner_id", "=", self.customer.id)]), events - in_b
        )
        with self.assertRaises(AccessError):
            in_b.with_user(clerk).read(["date"])
        self.assertEqual(
            self.customer.with_user(clerk).billing_followup_event_ids,
            (events - in_b).with_user(clerk),
        )
