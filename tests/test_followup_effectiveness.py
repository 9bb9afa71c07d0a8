"""What the reminders achieve: per step, messages sent, amount reminded and
the share of it paid within 7 and 30 days (from reconciliation dates),
replies per template; hand-computed on real runs and payments."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .followup_common import FollowupEngineCommon, day


class TestFollowupEffectiveness(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create(
            {"name": "Bluebell Bakery", "email": "pay@bluebell.example"}
        )
        cls.customers = cls.customer | cls.other

    def _fixture(self):
        """A owes 1000, B 500, both due day 0. Reminder on day 1, second
        on day 7; A pays 400 on day 5 and 200 on day 20, B all on day 10."""
        a = self._invoice(self.customer, 1000.0, day(-30), day(0))
        b = self._invoice(self.other, 500.0, day(-30), day(0))
        self._run(day(1), self.customers)
        self._pay(a, 400.0, day(5))
        self._run(day(7), self.customers)
        self._pay(b, 500.0, day(10))
        self._pay(a, 200.0, day(20))

    def _by_step(self, Report=None):
        Report = Report or self.env["billing.followup.effectiveness"]
        groups = Report._read_group(
            [("partner_id", "in", self.customers.ids)],
            ["step_id"],
            [
                "__count",
                "reminded_amount:sum",
                "paid_7_amount:sum",
                "paid_30_amount:sum",
                "paid_7_share:sum",
                "paid_30_share:sum",
            ],
        )
        return {step.offset_days: tuple(values) for step, *values in groups}

    def test_paid_within_7_and_30_days_per_step(self):
        self._fixture()
        self.assertEqual(
            self._by_step(),
            {
                # A reminded 1000: 400 on day 5, 200 on day 20; B 500 on day 10
                1: (2, 1500.0, 400.0, 1100.0, 26.7, 73.3),
                # A reminded 600 (400 paid before): 200 on day 20; B 500 on day 10
                7: (2, 1100.0, 500.0, 700.0, 45.5, 63.6),
            },
        )
        row = self.env["billing.followup.effectiveness"].search(
            [("partner_id", "=", self.customer.id), ("step_id", "=", self.steps[7].id)]
        )
        self.assertEqual(
            (row.reminded_amount, row.paid_7_share, row.paid_30_share),
            (600.0, 0.0, 33.3),
        )

    def test_letters_count_and_other_events_do_not(self):
        invoice = self._invoice(self.customer, 100.0, day(-40), day(0))
        for offset in (1, 7, 14, 21):
            self._run(day(offset))
        rows = self.env["billing.followup.effectiveness"].search(
            [("partner_id", "=", self.customer.id)]
        )
        # four emails and the final letter; the call's activity is no message
        self.assertEqual(
            sorted((r.step_id.offset_days, r.kind) for r in rows),
            [(1, "email"), (7, "email"), (14, "email"), (21, "email"), (21, "letter")],
        )
        self._pay(invoice, date=day(22))
        rows.invalidate_recordset()
        final = rows.filtered(lambda r: r.step_id == self.steps[21])
        self.assertEqual(final.mapped("paid_7_share"), [100.0, 100.0])

    def test_replies_per_template(self):
        self._fixture()
        email = self._events(self.customer, kind="email", step_id=self.steps[1].id)
        message = email.sudo().mail_id.mail_message_id
        self.customer.message_post(
            body="We paid part of it.",
            message_type="email",
            parent_id=message.id,
            author_id=self.customer.id,
        )
        # an accountant's own email in the thread is no client reply
        self.customer.message_post(
            body="Thanks.",
            message_type="email",
            parent_id=message.id,
            author_id=self.env.user.partner_id.id,
        )
        groups = self.env["billing.followup.effectiveness"]._read_group(
            [("partner_id", "in", self.customers.ids)],
            ["template_id"],
            ["reply_count:sum"],
        )
        self.assertEqual(
            dict(groups),
            {
                self.steps[1].mail_template_id: 1,
                self.steps[7].mail_template_id: 0,
            },
        )

    def test_access_and_companies(self):
        self._fixture()
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = new_test_user(
            self.env,
            login="bf_effect_b",
            groups="billing_followup.billing_followup_group_user",
            company_id=company_b.id,
        )
        Report = self.env["billing.followup.effectiveness"]
        self.assertFalse(Report.with_user(user_b).search([]))
        user_a = new_test_user(
            self.env,
            login="bf_effect_a",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        self.assertEqual(len(self._by_step(Report.with_user(user_a))), 2)
        clerk = new_test_user(
            self.env,
            login="bf_effect_clerk",
            groups="account.group_account_readonly",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            Report.with_user(clerk).search([])
