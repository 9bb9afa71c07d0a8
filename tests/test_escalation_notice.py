"""No surprise over real invoices: a customer reached late (or on the first
run) gets the final notice, not the credit hold nor the hand-over; the hold
comes on the deadline that notice states; a customer who had the final
notice in time goes on hold as configured."""

from .followup_common import FollowupEngineCommon, day


class TestEscalationNotice(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.hold = ref("billing_followup.stage_credit_hold")
        cls.last_resort = ref("billing_followup.stage_last_resort")
        activity = {
            "send_email": False,
            "create_activity": True,
            "activity_type_id": ref("mail.mail_activity_data_todo").id,
        }
        cls.sequence.step_ids = [
            cls._step(
                "Hold", 30, "mail_template_firmer", stage_id=cls.hold.id, **activity
            ),
            cls._step(
                "Hand-over", 60, "mail_template_firmer", stage_id=cls.last_resort.id
            ),
        ]
        cls.steps = {s.offset_days: s for s in cls.sequence.step_ids}

    def _stage(self):
        return self.customer.with_company(self.company).billing_stage_id

    def test_first_run_45_days_late_sends_the_final_notice_then_holds(self):
        self._invoice(self.customer, 500.0, day(-60), day(-45))
        self._run(day(0))
        sent = self._events(kind="email")
        self.assertEqual(sent.step_id, self.steps[21])
        self.assertEqual(sent.state, "done")
        self.assertFalse(self._stage().credit_hold)
        self.assertFalse(sent._billing_earlier_dates(), "no earlier reminder claimed")
        # the notice states the hold date (min interval 2 days): held then
        self.assertEqual(sent._billing_hold_date(), day(2))
        self._run(day(1))
        self.assertFalse(self._events(step_id=self.steps[30].id))
        self._run(day(2))
        self.assertEqual(self._stage(), self.hold)
        self.assertEqual(self._events(kind="stage").mapped("step_id"), self.steps[30])

    def test_first_run_90_days_late_is_not_handed_over(self):
        self._invoice(self.customer, 500.0, day(-100), day(-90))
        counts = self._run(day(0))
        self.assertEqual(counts.get("to_approve", 0), 0)
        self.assertEqual(self._events(kind="email").step_id, self.steps[21])
        self.assertFalse(self._events(step_id=self.steps[60].id))
        self.assertFalse(self._stage().credit_hold)
        # on the notice's deadline: the hold it announced, not the hand-over
        counts = self._run(day(2))
        self.assertEqual(counts.get("to_approve", 0), 0)
        self.assertEqual(self._stage(), self.hold)

    def test_final_notice_in_time_then_hold_as_configured(self):
        self._invoice(self.customer, 500.0, day(-30), day(0))
        for on in (1, 7, 14, 21):
            self._run(day(on))
        self.assertEqual(self._events(kind="email")[-1].step_id, self.steps[21])
        self._run(day(29))
        self.assertFalse(self._stage().credit_hold)
        self._run(day(30))
        self.assertEqual(self._stage(), self.hold)

    def test_preview_shows_the_notice_before_the_hold(self):
        self._invoice(self.customer, 500.0, day(-60), day(-45))
        wizard = self.env["billing.followup.run.preview"].create(
            {"date": day(0), "days": 20}
        )
        wizard.action_compute()
        lines = wizard.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertEqual(
            [(ln.date, ln.step_id) for ln in lines],
            [
                (day(0), self.steps[21]),
                (day(2), self.steps[30]),
                (day(15), self.steps[60]),
            ],
        )
