"""Payment plans: instalments replace the ladder while the plan runs,
payments are allocated in date order, the run settles plans (done, broken)
and a broken plan puts the invoices back on the ladder."""

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestPaymentPlans(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            "plan_user",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_user",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    def _propose(self, moves, first, count=3, **values):
        """Draft plan from Odoo's wizard, as the accountant proposes it."""
        with freeze_time(day(0)):
            wizard = Form(
                self.env["billing.payment.plan.propose"].with_context(
                    active_model="account.move", active_ids=moves.ids
                )
            )
            wizard.count = count
            wizard.first_date = first
            for name, value in values.items():
                setattr(wizard, name, value)
            action = wizard.save().action_propose()
        return self.env["billing.payment.plan"].browse(action["res_id"])

    def _start(self, plan):
        with freeze_time(day(0)):
            plan.action_start()

    def test_plan_followed_to_completion_with_a_payment_spanning_two(self):
        big = self._invoice(self.customer, 400.0, day(-40), day(-20))
        small = self._invoice(self.customer, 200.0, day(-40), day(-15))
        plan = self._propose(big | small, day(7))
        self.assertEqual(plan.line_ids.mapped("amount"), [200.0, 200.0, 200.0])
        self.assertEqual(
            plan.line_ids.mapped("date"),
            [
                day(7),
                day(7) + relativedelta(months=1),
                day(7) + relativedelta(months=2),
            ],
        )
        self._start(plan)
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.amount_total, 600.0)

        counts = self._run(day(1))
        self.assertEqual(counts.get("emails", 0), 0, "no ladder while planned")
        self.assertEqual(counts["skipped_nothing_due"], 1)

        self.assertEqual(self._run(day(4))["plan_reminders"], 1)
        heads_up = self._events(kind="plan")
        self.assertEqual(heads_up.billing_plan_line_id, plan.line_ids[0])
        self.assertTrue(heads_up.mail_id)
        self.assertIn("200.00", heads_up.mail_id.body_html)
        self.assertEqual(self._run(day(5))["plan_reminders"], 0, "once")

        # 300 paid: the first instalment and half of the second
        self._pay(big, amount=300.0, date=day(6))
        self._run(day(8))
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "open", "open"])
        self.assertEqual(plan.amount_paid, 300.0)
        self.assertEqual(plan.state, "running")

        # the rest, early: an overpayment covers the next instalments
        self._pay(big, date=day(20))
        self._pay(small, date=day(20))
        counts = self._run(day(21))
        self.assertEqual(counts["plans_done"], 1)
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.line_ids.mapped("state"), ["paid"] * 3)
        self.assertFalse(self._events(kind="email"), "never a ladder reminder")

    def test_broken_plan_resumes_the_ladder_with_an_activity(self):
        invoice = self._invoice(self.customer, 600.0, day(-40), day(-10))
        self._run(day(-9))  # the first reminder of the ladder
        self.assertEqual(self._events(kind="email").step_id, self.steps[1])
        plan = self._propose(invoice, day(2), count=2, tolerance_days=5)
        self._start(plan)
        self.assertFalse(self._run(day(1)).get("emails"))

        counts = self._run(day(3))  # missed, within the tolerance
        self.assertEqual(counts["plan_reminders"], 1)
        self.assertIn(":missed", self._events(kind="plan")[-1].key)
        self.assertEqual(plan.line_ids.mapped("state"), ["late", "open"])
        self.assertEqual(plan.state, "running")
        self.assertFalse(self._run(day(7)).get("emails"))

        counts = self._run(day(8))  # 6 days late: broken, the ladder resumes
        self.assertEqual(counts["plans_broken"], 1)
        self.assertEqual(plan.state, "broken")
        self.assertEqual(counts["emails"], 1)
        # 18 days late: the ladder goes on at the step reached (catch-up)
        self.assertEqual(self._events(kind="email")[-1].step_id, self.steps[14])
        activity = plan.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, plan.user_id)
        self.assertEqual(self._run(day(9)).get("plans_broken", 0), 0)
        self.assertEqual(len(plan.activity_ids), 1, "one activity per break")

    def test_bad_input_is_refused(self):
        invoice = self._invoice(self.customer, 600.0, day(-40), day(-10))
        plan = self._propose(invoice, day(7), count=2)
        plan.line_ids[0].amount = 250.0
        with freeze_time(day(0)), self.assertRaisesRegex(UserError, "add up"):
            plan.action_start()
        plan.line_ids[0].amount = 300.0
        with freeze_time(day(10)), self.assertRaisesRegex(UserError, "before today"):
            plan.action_start()
        other = self.env["res.partner"].create({"name": "Other Customer"})
        foreign = self._invoice(other, 100.0, day(-40), day(-10))
        with self.assertRaises(ValidationError):
            plan.move_ids |= foreign
        with freeze_time(day(0)), self.assertRaisesRegex(UserError, "one customer"):
            self._propose(invoice | foreign, day(7))
        with freeze_time(day(0)), self.assertRaisesRegex(UserError, "before today"):
            self._propose(invoice, day(-1))

    def test_one_running_plan_per_customer_and_company(self):
        first = self._invoice(self.customer, 600.0, day(-40), day(-10))
        second = self._invoice(self.customer, 100.0, day(-40), day(-5))
        self._start(self._propose(first, day(7), count=2))
        plan = self._propose(second, day(7), count=1)
        with freeze_time(day(0)), self.assertRaisesRegex(UserError, "already has"):
            plan.action_start()

    def test_access_users_propose_managers_delete_companies_apart(self):
        invoice = self._invoice(self.customer, 600.0, day(-40), day(-10))
        env = self.env(user=self.user)
        with freeze_time(day(0)):
            wizard = (
                env["billing.payment.plan.propose"]
                .with_context(active_model="res.partner", active_ids=self.customer.ids)
                .create({"first_date": day(7), "count": 2})
            )
            self.assertEqual(wizard.move_ids, invoice)
            plan = env["billing.payment.plan"].browse(wizard.action_propose()["res_id"])
            plan.action_start()
        self.assertEqual(plan.state, "running")
        with self.assertRaises(AccessError):
            plan.unlink()
        other_company = self.setup_other_company(name="Company B")["company"]
        foreign = self.env["billing.payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "currency_id": other_company.currency_id.id,
            }
        )
        self.assertFalse(env["billing.payment.plan"].search([("id", "=", foreign.id)]))
        plain = new_test_user(self.env, "plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env(user=plain)["billing.payment.plan"].search([])

    def test_report_in_the_clients_language(self):
        invoice = self._invoice(self.customer, 600.0, day(-40), day(-10))
        plan = self._propose(invoice, day(7), count=2)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("billing_followup.report_payment_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn("Payment plan", html)
        self.assertIn(invoice.name, html)

    def test_second_plan_for_a_contract_needs_a_manager(self):
        contract = self.env["billing.contract"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "billing_method": "retainer",
                "billing_schedule": "monthly",
                "amount": 600.0,
                "date_start": day(-60),
            }
        )
        first = self._invoice(
            self.customer, 600.0, day(-40), day(-10), billing_contract_id=contract.id
        )
        second = self._invoice(
            self.customer, 300.0, day(-30), day(-5), billing_contract_id=contract.id
        )
        plan = self._propose(first, day(7), count=2)
        self._start(plan)
        plan._settle(day(20))  # the first instalment missed: broken
        self.assertEqual(plan.state, "broken")
        again = self._propose(second, day(7), count=1).with_user(self.user)
        with freeze_time(day(0)), self.assertRaisesRegex(UserError, "manager"):
            again.action_start()
        with freeze_time(day(0)):
            again.with_user(self.env.user).action_start()  # an administrator
        self.assertEqual(again.state, "running")
