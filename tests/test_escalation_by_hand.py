"""What people do on the ladder by hand: a manager moves a customer to
another stage only with a reason (a card dragged in the kanban asks for it),
a call activity opens the call log, and what the customer paid after the
hand-over shows as recovered."""

from odoo import Command
from odoo.exceptions import AccessError, RedirectWarning
from odoo.tests import Form, freeze_time, new_test_user
from odoo.tools.safe_eval import safe_eval

from .followup_common import FollowupEngineCommon, day


class TestEscalationByHand(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.reminded = ref("billing_followup.stage_reminded")
        cls.hold = ref("billing_followup.stage_credit_hold")
        cls.steps[1].stage_id = cls.reminded
        groups = "account.group_account_invoice,billing_followup."
        cls.manager = new_test_user(
            cls.env,
            login="bf_by_hand_manager",
            groups=groups + "billing_followup_group_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.clerk = new_test_user(
            cls.env,
            login="bf_by_hand_clerk",
            groups=groups + "billing_followup_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _stage(self):
        return self.customer.with_company(self.company).billing_stage_id

    # ------------------------------------------------------------------
    # A stage set by hand needs a reason
    # ------------------------------------------------------------------

    def test_dragged_card_asks_for_a_reason_and_stays_until_given(self):
        self._invoice(self.customer, 500.0, day(-30), day(0))
        self._run(day(1))
        self.assertEqual(self._stage(), self.reminded)
        customer = self.customer.with_user(self.manager)
        # what the kanban sends when a card is dropped in another column
        with self.assertRaises(RedirectWarning) as caught:
            customer.write({"billing_stage_id": self.hold.id})
        message, action_id, _button, context = caught.exception.args
        self.assertIn("Credit hold", message)
        self.assertEqual(
            action_id,
            self.env.ref("billing_followup.billing_followup_stage_set_action").id,
        )
        self.assertEqual(self._stage(), self.reminded, "cancelled: not moved")
        self.assertEqual(len(self._events(kind="stage")), 1)
        # the wizard the warning opens, pre-filled as the web client does
        action = self.env["ir.actions.act_window"].browse(action_id)
        defaults = safe_eval(action.context, context)
        wizard = Form(
            self.env[action.res_model]
            .with_user(self.manager)
            .with_context(**context, **defaults)
        )
        self.assertEqual(wizard.partner_ids[:], self.customer)
        self.assertEqual(wizard.stage_id, self.hold)
        wizard.reason = "Agreed with the director"
        result = wizard.save().action_apply()
        self.assertEqual(result["tag"], "soft_reload", "the kanban shows the move")
        self.assertEqual(self._stage(), self.hold)
        moved = self._events(kind="stage")[-1]
        self.assertEqual(
            (moved.stage_from_id, moved.stage_id, moved.note, moved.user_id),
            (self.reminded, self.hold, "Agreed with the director", self.manager),
        )
        self.assertTrue(self.customer.with_company(self.company).billing_stage_manual)

    def test_clerk_cannot_drag_a_card(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.clerk).write(
                {"billing_stage_id": self.hold.id}
            )

    def test_merged_customer_keeps_its_stage_without_a_reason(self):
        old = self.env["res.partner"].create({"name": "Orchid Florists (old)"})
        old.with_company(self.company).with_context(
            billing_stage_engine=True
        ).billing_stage_id = self.hold
        self.env["base.partner.merge.automatic.wizard"].sudo()._merge(
            (self.customer | old).ids, dst_partner=self.customer, extra_checks=False
        )
        self.assertEqual(self._stage(), self.hold)
        self.assertFalse(self._events(kind="stage"), "no manual stage logged")

    # ------------------------------------------------------------------
    # A call activity opens the call log
    # ------------------------------------------------------------------

    def test_call_activity_opens_the_call_log(self):
        invoice = self._invoice(self.customer, 300.0, day(-30), day(-14))
        self._run(day(0))
        activity = self._events(kind="activity").activity_id
        self.assertEqual(activity.activity_type_id.name, "Call")
        with freeze_time(day(1)):
            action = activity.with_user(self.clerk).action_open_document()
            self.assertEqual(action["res_model"], "billing.followup.call")
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.clerk)
                .with_context(action["context"])
            )
            self.assertEqual(wizard.partner_id, self.customer)
            self.assertEqual(wizard.move_ids[:], invoice, "what the call is about")
            wizard.outcome = "promised"
            wizard.promise_amount = 300.0
            wizard.promise_date = day(8)
            wizard.save().action_log()
        self.assertFalse(activity.active, "the planned call is done")
        self.assertEqual(
            self.customer.billing_promise_ids.display_name,
            "Orchid Florists: $\xa0300.00 on 03/10/2026",
        )
        self.assertEqual(len(self._events(kind="call")), 1, "logged once")

    def test_other_call_activities_open_their_document(self):
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.clerk.id
        )
        action = activity.with_user(self.clerk).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.customer.id)
        )

    # ------------------------------------------------------------------
    # Recovered since the hand-over
    # ------------------------------------------------------------------

    def _handover(self, on):
        # written as the engine would (users only read the ledger)
        return (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": on,
                    "kind": "handover",
                    "key": f"handover:{on}",
                    "stage_id": self.env.ref("billing_followup.stage_last_resort").id,
                }
            )
        )

    def _bank_statement_payment(self, invoice, amount, on):
        """Money on the bank statement matched with the invoice by hand."""
        receivable = invoice.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable"
        )
        line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "partner_id": self.customer.id,
                "date": on,
                "payment_ref": invoice.name,
                "amount": amount,
                "counterpart_account_id": receivable.account_id.id,
            }
        )
        (line.move_id.line_ids | receivable).filtered(
            lambda ln: ln.account_id == receivable.account_id
        ).reconcile()

    def test_recovered_counts_the_money_received_after_the_handover(self):
        invoice = self._invoice(self.customer, 1000.0, day(-60), day(-30))
        self._pay(invoice, amount=100.0, date=day(-5))
        self._handover(day(0))
        customer = self.customer.with_company(self.company).with_user(self.clerk)
        self.assertEqual(customer.billing_recovered_amount, 0.0, "before: none")
        self._pay(invoice, amount=250.0, date=day(3))
        self._bank_statement_payment(invoice, 150.0, day(5))
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": day(6), "currency_id": eur.id, "amount": 100.0})
        )
        wizard._create_payments()
        # a credit note is no money received
        refund = self._invoice(
            self.customer, 60.0, day(7), day(7), move_type="out_refund"
        )
        self.assertEqual(refund.state, "posted")
        customer.invalidate_recordset(["billing_recovered_amount"])
        self.assertEqual(customer.billing_recovered_amount, 450.0)
        self.assertEqual(invoice.amount_residual, 1000.0 - 100 - 250 - 150 - 50)
