"""Who gets a to-do when a customer climbs the ladder, and what it says: one
activity per customer, type, person and day whatever made it (a step, a
stage, a failed email), never for a user nobody reads; a call activity opens
the call log; the run's edge cases (no company address, two promises)."""

from odoo import Command
from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestEscalationActivities(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.todo = ref("mail.mail_activity_data_todo")
        cls.call = ref("mail.mail_activity_data_call")
        cls.reminded = ref("billing_followup.stage_reminded")
        cls.good = ref("billing_followup.stage_good_standing")
        cls.steps[1].stage_id = cls.reminded
        cls.clerk = new_test_user(
            cls.env,
            login="bf_activities_clerk",
            groups="base.group_user,billing_followup.billing_followup_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer.with_company(cls.company).billing_responsible_id = cls.clerk

    def _activities(self, activity_type=None):
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        if activity_type:
            domain.append(("activity_type_id", "=", activity_type.id))
        return self.env["mail.activity"].search(domain)

    def test_stage_to_do_joins_the_step_to_do_of_the_same_day(self):
        self.reminded.involve = "responsible"
        self.steps[1].write({"create_activity": True, "activity_type_id": self.todo.id})
        self._invoice(self.customer, 100.0, day(-30), day(0))
        self._run(day(1))
        todos = self._activities(self.todo)
        self.assertEqual(
            [(a.user_id, a.date_deadline) for a in todos], [(self.clerk, day(1))]
        )
        self.assertEqual(self._events(kind="activity").activity_id, todos)
        self.assertIn("Orchid Florists entered the stage Reminded", todos.note)

    def test_archived_salesperson_leaves_the_stage_to_do_to_the_responsible(self):
        self.reminded.involve = "salesperson"
        gone = new_test_user(
            self.env,
            login="bf_activities_gone",
            groups="base.group_user",
            company_id=self.company.id,
        )
        gone.active = False
        self.customer.user_id = gone
        self._invoice(self.customer, 100.0, day(-30), day(0))
        self._run(day(1))
        self.assertEqual(self._activities(self.todo).user_id, self.clerk)

    def test_portal_salesperson_leaves_the_stage_to_do_to_the_responsible(self):
        self.reminded.involve = "salesperson"
        portal = new_test_user(
            self.env,
            login="bf_activities_portal",
            groups="base.group_portal",
            company_id=self.company.id,
        )
        self.customer.user_id = portal
        self._invoice(self.customer, 100.0, day(-30), day(0))
        self._run(day(1))
        self.assertEqual(self._activities(self.todo).user_id, self.clerk)

    def test_managers_get_one_to_do_each(self):
        self.reminded.involve = "manager"
        manager = new_test_user(
            self.env,
            login="bf_activities_manager",
            groups="base.group_user,billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self._invoice(self.customer, 100.0, day(-30), day(0))
        self._run(day(1))
        todos = self._activities(self.todo)
        self.assertIn(manager, todos.user_id)
        self.assertEqual(len(todos), len(todos.user_id), "one per manager")
        self.assertFalse(todos.user_id.filtered(lambda u: u._is_superuser()))

    def test_failed_email_on_a_call_step_says_so_in_the_call(self):
        self.customer.email = False
        self._invoice(self.customer, 100.0, day(-30), day(-14))
        self._run(day(0))
        email = self._events(kind="email")
        self.assertEqual(
            (email.step_id, email.state), (self.steps[14], "failed"), "call step"
        )
        activity = self._events(kind="activity").activity_id
        self.assertEqual(activity.activity_type_id, self.call)
        self.assertIn(
            "The reminder email was not sent: Orchid Florists has no email address",
            activity.note,
        )

    def test_mail_failing_later_adds_its_reason_to_the_day_call(self):
        self._invoice(self.customer, 100.0, day(-30), day(-14))
        self._run(day(0))
        email = self._events(kind="email")
        email.mail_id.write(
            {"state": "exception", "failure_reason": "550 mailbox unavailable"}
        )
        self.engine._pass_recover_mails(None)
        activities = self._activities()
        self.assertEqual(len(activities), 1, "the day's call, not a second task")
        self.assertIn("Call", activities.summary or activities.activity_type_id.name)
        self.assertIn("550 mailbox unavailable", activities.note)

    def test_no_company_address_still_clears_the_stage(self):
        paid = self._invoice(self.customer, 100.0, day(-30), day(0))
        self._run(day(1))
        self.assertEqual(
            self.customer.with_company(self.company).billing_stage_id, self.reminded
        )
        self._pay(paid, date=day(2))
        self._invoice(self.customer, 80.0, day(2), day(7))
        self.company.email = False
        counts = self._run(day(4))
        self.assertEqual(counts["skipped_no_sender"], 1, "the heads-up waits")
        self.assertEqual(counts["stages_cleared"], 1)
        self.assertEqual(
            self.customer.with_company(self.company).billing_stage_id, self.good
        )
        self.assertFalse(self._events(kind="email", step_id=self.steps[-3].id))
        self.company.email = "billing@company-a.example"
        self._run(day(5))
        self.assertEqual(
            self._events(kind="email", step_id=self.steps[-3].id).state, "done"
        )

    def test_two_open_promises_on_one_invoice_hold_until_the_earliest(self):
        invoice = self._invoice(self.customer, 100.0, day(-30), day(0))
        other = self._invoice(self.customer, 50.0, day(-30), day(0))
        Promise = self.env["billing.followup.promise"]
        with freeze_time(day(0)):
            late, early = self._promises(Promise, invoice, other)
        # two users at once: both committed before either saw the other

        self.env.cr.execute(
            "INSERT INTO account_move_billing_followup_promise_rel "
            "(billing_followup_promise_id, account_move_id) VALUES (%s, %s)",
            (early.id, invoice.id),
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.engine._moves_promised(invoice | other),
            {invoice.id: day(10), other.id: day(10)},
        )
        self.assertEqual(self.engine._moves_promised(invoice), {invoice.id: day(10)})
        self.assertTrue(late.exists())

    def _promises(self, Promise, invoice, other):
        """A promise for day 20 (created first), another for day 10."""
        return Promise.create(
            [
                {
                    "partner_id": self.customer.id,
                    "move_ids": move.ids,
                    "amount": move.amount_total,
                    "date": on,
                }
                for move, on in ((invoice, day(20)), (other, day(10)))
            ]
        )
