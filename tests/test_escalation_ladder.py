"""The escalation ladder over real invoices and payments: a customer climbs
the stages and returns to good standing when it pays, a stage that needs
approval waits for a manager (rejection keeps the customer where it was),
a manual stage is respected, the last resort hands over with a demand
letter and stops the reminders."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestEscalationLadder(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.good = ref("billing_followup.stage_good_standing")
        cls.reminded = ref("billing_followup.stage_reminded")
        cls.hold = ref("billing_followup.stage_credit_hold")
        cls.last_resort = ref("billing_followup.stage_last_resort")
        cls.steps[1].stage_id = cls.reminded
        cls.steps[14].stage_id = cls.hold
        cls.manager = new_test_user(
            cls.env,
            login="bf_ladder_manager",
            groups="billing_followup.billing_followup_group_manager,"
            "account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.clerk = new_test_user(
            cls.env,
            login="bf_ladder_clerk",
            groups="billing_followup.billing_followup_group_user,"
            "account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _stage(self, partner=None):
        return (partner or self.customer).with_company(self.company).billing_stage_id

    def test_climbs_the_ladder_and_returns_to_good_standing(self):
        invoice = self._invoice(self.customer, 500.0, day(-30), day(0))
        self._run(day(1))
        self.assertEqual(self._stage(), self.reminded)
        self.assertFalse(self.customer.with_company(self.company).billing_credit_hold)
        # the hold comes only after the step before it reached the customer
        self._run(day(7))
        self._run(day(14))
        self.assertEqual(self._stage(), self.hold)
        self.assertTrue(self.customer.with_company(self.company).billing_credit_hold)
        self._pay(invoice, date=day(16))
        self._run(day(17))
        self.assertEqual(self._stage(), self.good)
        self.assertFalse(self.customer.with_company(self.company).billing_credit_hold)
        stages = self._events(kind="stage")
        self.assertEqual(
            [(e.date, e.stage_from_id, e.stage_id) for e in stages],
            [
                (day(1), self.env["billing.followup.stage"], self.reminded),
                (day(14), self.reminded, self.hold),
                (day(17), self.hold, self.good),
            ],
        )
        self.assertEqual(stages[1].step_id, self.steps[14], "why: the step")
        # in good standing, the next run has nothing to clear
        self.assertEqual(self._run(day(18)).get("stages_cleared", 0), 0)

    def test_approval_holds_the_stage_and_its_messages(self):
        self.steps[21].stage_id = self.last_resort
        self._invoice(self.customer, 800.0, day(-30), day(0))
        for on in (1, 7, 14):
            self._run(day(on))
        counts = self._run(day(21))
        self.assertEqual(counts["to_approve"], 1)
        waiting = self._events(step_id=self.steps[21].id)
        self.assertEqual(set(waiting.mapped("state")), {"to_approve"})
        self.assertFalse(waiting.mail_id, "no email before approval")
        self.assertEqual(self._stage(), self.hold, "not entered before approval")
        # a clerk may not approve
        with self.assertRaises(AccessError):
            waiting.with_user(self.clerk).action_approve()
        # nothing more is proposed while it waits
        self.assertEqual(self._run(day(23)).get("to_approve", 0), 0)
        stage_event = waiting.filtered(lambda e: e.kind == "stage")
        stage_event.with_user(self.manager).action_approve()
        self.assertEqual(set(waiting.mapped("state")), {"done"})
        self.assertTrue(waiting.filtered(lambda e: e.kind == "email").mail_id)
        self.assertEqual(self._stage(), self.last_resort)
        handover = self._events(kind="handover")
        self.assertEqual(len(handover), 1)
        letters = self.customer.message_ids.attachment_ids.filtered(
            lambda a: a.name.startswith("Demand letter")
        )
        self.assertEqual(len(letters), 1)
        self.assertEqual(letters.mimetype, "application/pdf")
        # handed over: no automatic reminder any more
        counts = self._run(day(40))
        self.assertEqual(counts["skipped_handed_over"], 1)

    def test_rejection_keeps_the_customer_where_it_was(self):
        self.steps[21].stage_id = self.last_resort
        self._invoice(self.customer, 800.0, day(-30), day(0))
        for on in (1, 7, 14, 21):
            self._run(day(on))
        waiting = self._events(state="to_approve")
        waiting[0].with_user(self.manager).action_reject()
        self.assertEqual(set(waiting.mapped("state")), {"cancelled"})
        self.assertEqual(self._stage(), self.hold)
        self.assertIn("rejected", self.customer.message_ids[0].body)
        # rejected for this cycle: not proposed again
        self._run(day(25))
        self.assertFalse(self._events(state="to_approve"))
        self.assertFalse(self._events(kind="handover"))

    def test_manual_stage_is_respected_until_nothing_is_overdue(self):
        invoice = self._invoice(self.customer, 500.0, day(-30), day(0))
        with self.assertRaises(AccessError):
            Form(
                self.env["billing.followup.stage.set"]
                .with_user(self.clerk)
                .with_context(default_partner_ids=self.customer.ids)
            ).save().action_apply()
        wizard = Form(
            self.env["billing.followup.stage.set"]
            .with_user(self.manager)
            .with_context(default_partner_ids=self.customer.ids)
        )
        wizard.stage_id = self.env["billing.followup.stage"].create(
            {"name": "Watched", "sequence": 45}
        )
        wizard.reason = "Agreed with the director"
        manual_stage = wizard.stage_id
        wizard.save().action_apply()
        self.assertTrue(self.customer.with_company(self.company).billing_stage_manual)
        logged = self._events(kind="stage")
        self.assertEqual(logged.note, "Agreed with the director")
        self.assertEqual(logged.user_id, self.manager)
        self._run(day(1))
        self._run(day(14))
        self.assertEqual(self._stage(), manual_stage, "the steps leave it")
        self.assertEqual(len(self._events(kind="stage")), 1)
        self.assertTrue(self._events(kind="email"), "the reminders still go out")
        self._pay(invoice, date=day(16))
        self._run(day(17))
        self.assertEqual(self._stage(), self.good)
        self.assertFalse(self.customer.with_company(self.company).billing_stage_manual)

    def test_release_gives_the_stage_back_to_the_engine(self):
        self._invoice(self.customer, 500.0, day(-30), day(0))
        self.customer.with_context(
            billing_stage_reason="Test"
        ).billing_stage_id = self.reminded
        with self.assertRaises(AccessError):
            self.customer.with_user(self.clerk).action_billing_release_stage()
        self.customer.with_user(self.manager).action_billing_release_stage()
        self._run(day(7))
        self._run(day(14))
        self.assertEqual(self._stage(), self.hold)

    def test_non_manager_cannot_write_the_stage(self):
        with self.assertRaises(AccessError):
            # even through sudo: the user is still not a manager
            self.customer.with_user(self.clerk).sudo().write(
                {"billing_stage_id": self.hold.id}
            )

    def test_stage_ladder_rules(self):
        # assertRaises (not ...Regex) rolls the refused write back
        with self.assertRaises(ValidationError) as caught:
            self.good.credit_hold = True
        self.assertIn("In good standing is the lowest stage", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.env["billing.followup.stage"].create(
                {"name": "Bottom", "sequence": -5, "credit_hold": True}
            )
        self.assertIn("Bottom is the lowest stage", str(caught.exception))
        self.customer.with_company(self.company).with_context(
            billing_stage_reason="Test"
        ).billing_stage_id = self.hold
        with self.assertRaisesRegex(UserError, "customers are in Credit hold"):
            self.hold.unlink()
        unused = self.env["billing.followup.stage"].create({"name": "Unused"})
        unused.unlink()

    def test_preview_says_the_step_waits_for_approval(self):
        self.steps[21].stage_id = self.last_resort
        self._invoice(self.customer, 800.0, day(-30), day(0))
        self._run(day(7))
        wizard = self.env["billing.followup.run.preview"].create(
            {"date": day(15), "days": 10}
        )
        wizard.action_compute()
        lines = wizard.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertEqual(
            [(ln.date, ln.step_id, ln.waits) for ln in lines],
            [
                (day(15), self.steps[14], ""),
                (day(21), self.steps[21], "waits for a manager's approval"),
            ],
        )

    def test_approval_in_manual_mode_still_waits_for_review(self):
        self.steps[21].stage_id = self.last_resort
        self.customer.with_company(self.company).billing_followup_manual = True
        self._invoice(self.customer, 800.0, day(-30), day(0))
        self._run(day(7))
        # the reminder reviewed and sent: the hand-over has had its notice
        with freeze_time(day(7)):
            self._events(state="to_review").action_send()
        for on in (14, 21):
            self._run(day(on))
        waiting = self._events(step_id=self.steps[21].id)
        self.assertEqual(set(waiting.mapped("state")), {"to_approve"})
        waiting[0].with_user(self.manager).action_approve()
        self.assertEqual(set(waiting.mapped("state")), {"to_review"})
        self.assertFalse(waiting.mail_id, "nothing sent before the review")
        self.assertNotEqual(self._stage(), self.last_resort)
