"""Review and daily work: one review line per customer and step with a
preview of what goes out, activities for people who read them, "Run now"
on its day, and the names and dates users see."""

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, new_test_user
from odoo.tools.safe_eval import safe_eval

from .followup_common import FollowupEngineCommon, day


class TestFollowupReview(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.final = cls.steps[21]
        cls.final.write({"needs_review": True, "create_activity": True})
        cls.Review = cls.env["billing.followup.review"]

    def _reviewed_customer(self):
        """A customer reminded up to the reviewed final step on day 21."""
        invoice = self._invoice(self.customer, 480.0, day(-40), day(0))
        for offset in (1, 7, 14, 21):
            self._run(day(offset))
        return invoice

    def _line(self):
        return self.Review.search([("partner_id", "=", self.customer.id)])

    def test_one_line_per_customer_and_step_with_its_preview(self):
        self._reviewed_customer()
        waiting = self._events(state="to_review")
        self.assertEqual(
            sorted(waiting.mapped("kind")), ["activity", "email", "letter"]
        )
        line = self._line()
        self.assertEqual(len(line), 1, "email, activity and letter on one line")
        self.assertEqual(line.step_id, self.final)
        self.assertEqual(line.event_ids, waiting)
        self.assertEqual(line.channels, "Email, Activity, Letter")
        self.assertIn("480.00", line.email_body)
        self.assertTrue(line.email_subject)
        letter = waiting.filtered(lambda e: e.kind == "letter")
        # (without a chosen document layout Odoo first offers to configure it)
        action = line.with_context(discard_logo_check=True).action_preview_letter()
        self.assertEqual(
            action["report_name"], "billing_followup.report_followup_letter"
        )
        self.assertEqual(action["context"]["active_ids"], letter.ids)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            action["report_name"], letter.ids
        )
        self.assertIn("480.00", html.decode())

    def test_send_performs_every_action_of_the_line(self):
        self._reviewed_customer()
        line = self._line()
        events = line.event_ids
        line.action_send()
        self.assertEqual(set(events.mapped("state")), {"done"})
        email = events.filtered(lambda e: e.kind == "email")
        self.assertTrue(email.mail_id, "the email is queued")
        activity = events.filtered(lambda e: e.kind == "activity").activity_id
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertFalse(self._line(), "nothing left to review")
        with self.assertRaisesRegex(UserError, "already sent or skipped"):
            line.action_send()

    def test_a_followup_user_previews_and_sends(self):
        self._reviewed_customer()
        clerk = new_test_user(
            self.env,
            login="bf_review_clerk",
            groups="account.group_account_invoice",  # an accountant
            company_id=self.company.id,
        )
        line = self._line().with_user(clerk)
        self.assertIn("480.00", line.email_body)
        events = line.event_ids
        line.action_send()
        self.assertEqual(set(events.sudo().mapped("state")), {"done"})
        self.assertEqual(events.sudo().user_id, clerk)

    def test_send_drops_a_line_paid_since_the_review(self):
        invoice = self._reviewed_customer()
        self._pay(invoice, date=day(22))
        line = self._line()
        events = line.event_ids
        line.action_send()
        self.assertEqual(set(events.mapped("state")), {"cancelled"})
        self.assertFalse(events.mail_id, "no email about a paid invoice")
        self.assertFalse(events.activity_id)

    def test_skip_cancels_the_whole_line(self):
        self._reviewed_customer()
        line = self._line()
        events = line.event_ids
        line.action_skip()
        self.assertEqual(set(events.mapped("state")), {"cancelled"})
        self.assertFalse(events.mail_id)
        self.assertFalse(self._line())


class TestFollowupActivities(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="bf_seller",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.odoobot = cls.env.ref("base.user_root")

    def _call_activity(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )

    def _run_as_cron(self, on):
        """The scheduled action runs as OdooBot."""
        engine = self.engine.with_user(self.odoobot)
        return engine._run(date=on, partners=self.customer)

    def test_activity_goes_to_the_salesperson_not_odoobot(self):
        self._invoice(
            self.customer, 200.0, day(-40), day(0), invoice_user_id=self.seller.id
        )
        self.company.billing_responsible_id = False
        self._run_as_cron(day(14))
        self.assertEqual(self._call_activity().user_id, self.seller)

    def test_archived_or_portal_responsible_falls_back(self):
        self._invoice(
            self.customer, 200.0, day(-40), day(0), invoice_user_id=self.seller.id
        )
        gone = new_test_user(self.env, login="bf_gone", company_id=self.company.id)
        gone.active = False
        portal = new_test_user(self.env, login="bf_portal", groups="base.group_portal")
        self.customer.with_company(self.company).billing_responsible_id = gone
        self.company.billing_responsible_id = portal
        self._run_as_cron(day(14))
        self.assertEqual(self._call_activity().user_id, self.seller)

    def test_without_anyone_else_a_followup_manager(self):
        self._invoice(self.customer, 200.0, day(-40), day(0), invoice_user_id=False)
        self.company.billing_responsible_id = False
        manager = new_test_user(
            self.env,
            login="bf_manager_fallback",
            groups="billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
        )
        expected = (
            self.env.ref("billing_followup.billing_followup_group_manager")
            .all_user_ids.filtered(
                lambda u: u.active and not u.share and self.company in u.company_ids
            )
            .sorted("id")[:1]
        )
        self.assertTrue(expected)
        self._run_as_cron(day(14))
        user = self._call_activity().user_id
        self.assertEqual(user, expected)
        self.assertNotEqual(user, self.odoobot)
        self.assertIn(manager, expected | manager)

    def test_no_second_identical_call_the_same_day(self):
        self._invoice(self.customer, 200.0, day(-40), day(0))
        self._run(day(14))
        call = self._call_activity()
        self.assertEqual(len(call), 1)
        email = self._events(kind="email", step_id=self.steps[14].id)
        email.mail_id.sudo().write(
            {"state": "exception", "failure_reason": "Mailbox full"}
        )
        self._run(day(14))  # the failed email becomes a call: the same one
        self.assertEqual(email.state, "failed")
        self.assertEqual(self._call_activity(), call)
        self.assertEqual(email.activity_id, call)


class TestFollowupNamesAndDates(FollowupEngineCommon):
    def test_event_display_name_and_invoice_status(self):
        self.env.user.lang = "en_US"
        invoice = self._invoice(self.customer, 90.0, day(-40), day(0))
        self.assertFalse(invoice.billing_followup_status, "no event, no status")
        self._run(day(1))
        event = self._events(kind="email")
        self.assertEqual(event.display_name, "Orchid Florists - Reminder - 03/03/2026")
        invoice.invalidate_recordset(["billing_followup_status"])
        self.assertEqual(
            invoice.billing_followup_status, "Reminder (Email) on 03/03/2026"
        )

    def test_run_now_when_today_is_already_done(self):
        self._invoice(self.customer, 90.0, day(-40), day(-1))
        wizard = self.env["billing.followup.run.preview"].create({"date": day(0)})
        with freeze_time(day(0)):
            wizard.action_compute()
            self.assertEqual(wizard.today_count, 1)
            self._run(day(0))  # the daily run came first
            action = wizard.action_compute()
            self.assertEqual(action["name"], "Preview the Run")
            self.assertEqual(wizard.today_count, 0)
            with self.assertRaisesRegex(
                UserError, r"Nothing is left to run today \(03/02/2026\)"
            ):
                wizard.action_run_selected()
        wizard.date = day(3)
        with freeze_time(day(0)), self.assertRaisesRegex(UserError, "03/05/2026 is a"):
            wizard.action_run_selected()

    def test_customer_shows_the_minimum_in_force(self):
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.billing_min_interval_days, 0)
        self.assertEqual(customer.billing_min_interval_effective, 2, "the sequence's")
        customer.billing_min_interval_days = 5
        self.assertEqual(customer.billing_min_interval_effective, 5)

    def test_steps_stay_within_a_year_and_sequences_send_some_day(self):
        for offset in (366, -366):
            with self.assertRaisesRegex(ValidationError, "within a year"):
                self.steps[7].offset_days = offset
        self.steps[7].offset_days = 365
        with self.assertRaisesRegex(ValidationError, "no sending day"):
            self.sequence.send_weekday_ids = [Command.clear()]


class TestWorklistReasons(FollowupEngineCommon):
    """Customers to follow up say why one waits for a person, and hide by
    default those with nothing overdue and nothing planned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Worklist = cls.env["billing.followup.worklist"]
        cls.steps[21].needs_review = True
        cls.silent, cls.disputing, cls.later = cls.env["res.partner"].create(
            [
                {"name": "No address", "email": False},
                {"name": "Disputing", "email": "d@disputing.example"},
                {"name": "Paying later", "email": "p@later.example"},
            ]
        )

    def _default_filter_domain(self):
        """The domain of the list's default filter, read from its view."""
        view = self.env.ref("billing_followup.billing_followup_worklist_view_search")
        [node] = etree.fromstring(view.arch).xpath("//filter[@name='needs_attention']")
        return safe_eval(node.get("domain"))

    def _row(self, partner):
        return self.Worklist.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def test_reasons_instead_of_a_blank_next_action(self):
        self._invoice(self.customer, 100.0, day(-40), day(0))
        self._invoice(self.silent, 100.0, day(-40), day(0))
        disputed = self._invoice(self.disputing, 100.0, day(-40), day(-1))
        disputed.billing_disputed = True
        customers = self.customer | self.silent | self.disputing
        for offset in (1, 7, 14):
            self._run(day(offset), customers)
        self._run(day(21), self.customer)  # the final step waits for review
        self.assertEqual(self._row(self.customer).next_action, "Waiting for review")
        self.assertEqual(
            self._row(self.silent).next_action, "Email failed: contact by hand"
        )
        self.assertEqual(self._row(self.disputing).next_action, "Disputed: no reminder")

    def test_nothing_overdue_nor_planned_is_hidden_by_default(self):
        self._invoice(self.later, 100.0, day(-1), day(90))
        self._invoice(self.customer, 100.0, day(-40), day(-5))
        self._run(day(0), self.later | self.customer)
        self.assertTrue(self._row(self.later), "listed with its open item")
        shown = self.Worklist.search(self._default_filter_domain())
        self.assertIn(self._row(self.customer), shown)
        self.assertNotIn(self._row(self.later), shown)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_followup_worklist_action"
        )
        self.assertIn("search_default_needs_attention", action["context"])
