"""Send window, circuit breaker, review list, configuration and rights."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestEngineRules(FollowupEngineCommon):
    def test_send_window_in_the_customer_time_zone(self):
        """A scheduled run (no date) acts for a customer only inside the
        sequence's hours on the customer's own clock and local date."""
        self.sequence.write({"send_hour_from": 8.0, "send_hour_to": 17.0})
        seoul = self.customer
        seoul.tz = "Asia/Seoul"
        new_york = self.customer.copy({"name": "NY customer", "tz": "America/New_York"})
        customers = seoul | new_york
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(1))
        # 00:30 UTC on day 3 is 09:30 in Seoul (day 3), 19:30 in New York (day 2)
        with freeze_time(datetime(2026, 3, 5, 0, 30)):
            counts = self.engine._run(partners=customers)
        self.assertEqual(counts["skipped_window"], 1)
        self.assertEqual(self._events(seoul, kind="email").date, day(3))
        self.assertFalse(self._events(new_york))
        with freeze_time(datetime(2026, 3, 5, 14, 0)):  # 09:00 in New York
            self.engine._run(partners=customers)
        self.assertEqual(self._events(new_york, kind="email").date, day(3))
        self.assertEqual(len(self._events(customers, kind="email")), 2)

    def test_scheduled_action_acts_once_per_local_day(self):
        """The cron itself, run twice inside the window: one reminder."""
        self.customer.tz = "UTC"
        self._invoice(self.customer, 100.0, day(-40), day(1))
        cron = self.env.ref("billing_followup.ir_cron_billing_followup")
        for hour in (10, 11):
            with (
                freeze_time(datetime(2026, 3, 5, hour, 0)),
                self.enter_registry_test_mode(),
            ):
                cron.method_direct_trigger()
        email = self._events(kind="email")
        self.assertEqual(email.date, day(3))
        self.assertEqual(email.step_id, self.steps[1])

    def _breaker_alerts(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.company.partner_id.id),
                ("body", "ilike", "far more than usual"),
            ]
        )

    def test_circuit_breaker_holds_then_resumes(self):
        # a follow-up manager through Accounting's administrator group
        adviser = new_test_user(
            self.env,
            login="bf_breaker_adviser",
            groups="account.group_account_manager",
            company_id=self.company.id,
        )
        company_b = self.setup_other_company(name="Company B")["company"]
        elsewhere = new_test_user(
            self.env,
            login="bf_breaker_elsewhere",
            groups="billing_followup.billing_followup_group_manager",
            company_id=company_b.id,
            company_ids=company_b.ids,
        )
        managers = self.env.ref(
            "billing_followup.billing_followup_group_manager"
        ).all_user_ids.filtered(lambda u: self.company in u.company_ids)
        self.assertIn(adviser, managers)
        self.assertNotIn(elsewhere, managers)
        self.company.write({"billing_breaker_minimum": 1, "billing_breaker_factor": 3})
        customers = self.customer | self.customer.copy({"name": "Second"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        counts = self._run(day(0), customers)
        self.assertEqual(counts["held_by_breaker"], 2)
        self.assertFalse(self._events(customers))
        self.assertEqual(self.company.billing_breaker_tripped, 2)
        alert = self._breaker_alerts()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.partner_ids, managers.partner_id)
        self.assertIn("03/02/2026 would send 2 messages", alert.body)
        self.assertEqual(self._run(day(0), customers)["held_by_breaker"], 2)
        self.assertEqual(self._breaker_alerts(), alert, "no second alert that day")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.billing_breaker_tripped, 2)
        with freeze_time(day(0)):
            settings.action_billing_confirm_large_run()
        self.assertEqual(self.company.billing_breaker_confirmed_date, day(0))
        self.assertEqual(self.company.billing_breaker_tripped, 0)
        # the confirmation is for day 0 only: the same run on day 1 is held
        self.assertEqual(self._run(day(1), customers)["held_by_breaker"], 2)
        self.assertFalse(self._events(customers))
        day_one = self._breaker_alerts() - alert
        self.assertEqual(len(day_one), 1, "a new held run, a new alert")
        self.assertIn("03/03/2026 would send 2 messages", day_one.body)
        self.assertEqual(self._run(day(0), customers)["emails"], 2)
        self.assertEqual(
            self._events(customers, kind="email").mapped("date"), [day(0)] * 2
        )

    def test_breaker_lets_a_usual_run_go(self):
        """Below the threshold over the recent daily average, runs go out."""
        self.company.write({"billing_breaker_minimum": 1, "billing_breaker_factor": 3})
        customers = self.customer | self.customer.copy({"name": "Second"})
        Event = self.env["billing.followup.event"].sudo()  # as the engine would
        someone_else = self.customer.copy({"name": "Someone else"})
        Event.create(
            {
                "partner_id": someone_else.id,
                "company_id": self.company.id,
                "kind": "manual",
                "date": day(-1),
            }
        )
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        # a manual contact is not a message the run sent: the average is 0
        self.assertEqual(self._run(day(0), customers)["held_by_breaker"], 2)
        Event.create(
            {
                "partner_id": someone_else.id,
                "company_id": self.company.id,
                "kind": "email",
                "date": day(-1),
            }
        )
        # 2 planned <= 3 x 1 a day on average
        counts = self._run(day(0), customers)
        self.assertNotIn("held_by_breaker", counts)
        self.assertEqual(counts["emails"], 2)
        self.assertEqual(len(self._events(customers, kind="email")), 2)

    def test_queries_do_not_grow_with_customers_in_a_batch(self):
        """A batch of 8 customers costs the queries of a batch of 2, also
        with disputed, paused and promised invoices, paused customers and
        monthly statements (their PDFs included)."""
        self.sequence.statement_day = 1

        def run(count, on):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Q{on}-{count}-{i}", "email": f"q{i}@q.example"}
                    for i in range(count)
                ]
            )
            paused = customers.copy()
            for customer in customers:
                self._invoice(customer, 100.0, day(-40), day(-2))
                self._talked_about(customer)
            for customer in paused:
                self._invoice(customer, 100.0, day(-40), day(-2))
            with freeze_time(day(0)):
                paused.with_company(self.company).write(
                    {"billing_paused_until": day(20), "billing_pause_reason": "Away"}
                )
            # not due yet: their monthly statement goes out, nothing else
            statements = customers.copy()
            for customer in statements:
                self._invoice(customer, 100.0, day(-5), day(60))
            customers |= paused | statements
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            counts = self.engine._run(date=on, partners=customers)
            self.env.flush_all()
            self.assertEqual(counts["emails"], count)
            self.assertEqual(counts["skipped_paused"], count)
            self.assertEqual(counts["statements"], count)
            return self.env.cr.sql_log_count - before

        def measure(count, on):
            """Like with like: each measured run follows a warm-up run of the
            same day (templates, views, parameters, sequences, the day's
            history read once), whatever ran before this test."""
            run(count, on)
            return run(count, on)

        two, eight = measure(2, day(0)), measure(8, day(1))
        self.assertGreater(two, 10)
        # a query per customer would add 6 or more
        self.assertEqual(eight, two)
        self.assertEqual(measure(2, day(2)), two, "the same cost on another day")

    def _talked_about(self, customer):
        """Three more invoices: one disputed, one paused, one promised."""
        disputed, paused, promised = (
            self._invoice(customer, 10.0, day(-40), day(-3)) for _i in range(3)
        )
        disputed.billing_disputed = True
        with freeze_time(day(0)):
            paused.write(
                {"billing_paused_until": day(20), "billing_pause_reason": "Checks"}
            )
            self.env["billing.followup.promise"].create(
                {
                    "partner_id": customer.id,
                    "move_ids": promised.ids,
                    "amount": 10.0,
                    "date": day(20),
                }
            )

    def test_review_list_send_and_skip(self):
        self.steps[1].needs_review = True
        customers = self.customer | self.customer.copy({"name": "Second"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        self.assertEqual(self._run(day(0), customers)["to_review"], 2)
        waiting = self._events(customers, state="to_review")
        self.assertFalse(waiting.mail_id)
        first = waiting.filtered(lambda e: e.partner_id == self.customer)
        first.action_send()
        self.assertEqual(first.state, "done")
        self.assertEqual(first.mail_id.state, "outgoing")
        (waiting - first).action_skip()
        self.assertEqual((waiting - first).state, "cancelled")
        self._run(day(1), customers)
        self.assertEqual(len(self._events(customers)), 2, "nothing planned twice")

    def test_bad_configuration_is_refused(self):
        template = self.env.ref("billing_followup.mail_template_reminder")
        with self.assertRaisesRegex(ValidationError, "give each step its own day"):
            self.sequence.step_ids = [
                Command.create(
                    {"name": "Twin", "offset_days": 1, "mail_template_id": template.id}
                )
            ]
        with self.assertRaisesRegex(ValidationError, "does nothing"):
            self.steps[7].send_email = False
        with self.assertRaisesRegex(ValidationError, "choose its template"):
            self.steps[7].write({"send_email": True, "mail_template_id": False})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.sequence.min_interval_days = -1
        with self.assertRaisesRegex(ValidationError, "send window"):
            self.sequence.write({"min_interval_days": 2, "send_hour_to": 6.0})

    def test_users_run_and_review_managers_configure(self):
        user = new_test_user(
            self.env,
            login="bf_clerk",
            groups="billing_followup.billing_followup_group_user,account.group_account_invoice",
            company_id=self.company.id,
        )
        manager = new_test_user(
            self.env,
            login="bf_boss",
            groups="billing_followup.billing_followup_group_manager,account.group_account_invoice",
            company_id=self.company.id,
        )
        self.steps[1].needs_review = True
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        engine = self.engine.with_user(user)
        self.assertEqual(
            engine._run(date=day(0), partners=self.customer)["to_review"], 1
        )
        self._events().with_user(user).action_send()
        self.assertTrue(self._events().mail_id)
        with self.assertRaises(AccessError):
            self.sequence.with_user(user).min_interval_days = 5
        self.sequence.with_user(manager).min_interval_days = 5
        self.assertEqual(self.sequence.min_interval_days, 5)

    def test_early_payment_discount_is_shown(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "2/8 net 10",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 8,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 10}
                    )
                ],
            }
        )
        self._invoice(self.customer, 1000.0, day(-5), invoice_payment_term_id=term.id)
        self._run(day(2))
        body = self._events(kind="email").mail_id.body_html
        self.assertIn("980.00", body)
        self.assertIn("03/05/2026", body)
