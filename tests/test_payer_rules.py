"""The payer profile at work: the sequence chosen by rule, and the heads-up
moved before a customer's usual payment day."""

from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.billing_followup.tools import followup_decision as logic

from .followup_common import FollowupEngineCommon

HEADS_UP = logic.Step(1, -3)
REMINDER = logic.Step(2, 1)


def _decide(due, on, payday=0, lead=0):
    item = logic.Item(10, due, 100.0)
    settings = logic.Settings(
        steps=(HEADS_UP, REMINDER), payday=payday, payday_lead=lead
    )
    return logic.decide([item], logic.History(), settings, on)


def test_payday_before_due_date():
    assert logic.payday_before(date(2026, 3, 30), 25) == date(2026, 3, 25)
    assert logic.payday_before(date(2026, 3, 10), 25) == date(2026, 2, 25)
    assert logic.payday_before(date(2026, 3, 10), 31) == date(2026, 2, 28)
    assert logic.payday_before(date(2026, 2, 28), 30) == date(2026, 2, 28)


def test_heads_up_moves_before_the_payment_day():
    due = date(2026, 3, 30)  # the customer pays on the 25th: heads-up on the 22nd
    assert isinstance(_decide(due, date(2026, 3, 21), 25, 3), logic.Skip)
    action = _decide(due, date(2026, 3, 22), 25, 3)
    assert (action.step_id, action.about) == (HEADS_UP.step_id, (10,))
    # without a payment day, the step's own offset: 27 March
    assert isinstance(_decide(due, date(2026, 3, 22)), logic.Skip)
    assert _decide(due, date(2026, 3, 27)).step_id == HEADS_UP.step_id
    # overdue items keep their ladder
    assert _decide(due, date(2026, 3, 31), 25, 3).step_id == REMINDER.step_id


class TestPayerRules(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm = cls.sequence.copy({"name": "Firm"})
        cls.gentle = cls.sequence.copy({"name": "Gentle"})
        cls.tag = cls.env["res.partner.category"].create({"name": "Key account"})
        Rule = cls.env["billing.followup.rule"]
        cls.rule_tag = Rule.create(
            {
                "name": "Key accounts",
                "sequence": 1,
                "category_ids": [Command.set(cls.tag.ids)],
                "followup_sequence_id": cls.gentle.id,
            }
        )
        cls.rule_big = Rule.create(
            {
                "name": "Large debts",
                "sequence": 2,
                "min_overdue_amount": 1000,
                "followup_sequence_id": cls.firm.id,
            }
        )
        cls.rule_risk = Rule.create(
            {
                "name": "At risk",
                "sequence": 3,
                "payer_class": "at_risk",
                "followup_sequence_id": cls.firm.id,
            }
        )

    def _policy(self, on=date(2026, 3, 20), partner=None):
        partner = (partner or self.customer).with_company(self.company)
        return partner._billing_followup_policy(self.company, on)

    def test_first_matching_rule_wins(self):
        self.assertEqual(self._policy().source, "company")
        self._invoice(self.customer, 1500, "2026-02-01", "2026-03-01")
        policy = self._policy()
        self.assertEqual((policy.source, policy.sequence), ("rule", self.firm))
        self.assertEqual(
            self.customer._billing_followup_rule(self.company, date(2026, 3, 20)),
            self.rule_big,
        )
        # not overdue yet on 1 March: no debt above the threshold
        self.assertEqual(self._policy(date(2026, 3, 1)).source, "company")
        self.customer.category_id = self.tag
        self.assertEqual(self._policy().sequence, self.gentle)
        # the customer's own sequence comes first
        self.customer.with_company(
            self.company
        ).billing_followup_sequence_id = self.sequence
        self.assertEqual(self._policy().source, "customer")

    def test_payer_class_rule_and_form(self):
        for month in (1, 2, 3):
            due = date(2025, month, 1)
            invoice = self._invoice(self.customer, 100, due - timedelta(days=30), due)
            self._pay(invoice, date=due + timedelta(days=60))
        self.customer._billing_refresh_payer_profile(self.company, date(2025, 6, 1))
        self.assertEqual(self.customer.billing_payer_class, "at_risk")
        self.assertEqual(self._policy().sequence, self.firm)
        self.assertEqual(
            self.customer.with_company(self.company).billing_followup_rule_id,
            self.rule_risk,
        )
        self.rule_risk.followup_sequence_id.active = False
        self.assertEqual(self._policy().source, "company")

    def test_engine_sends_heads_up_before_payment_day(self):
        self.sequence.payday_lead_days = 2
        # always pays on the 25th, late: a late but reliable payer
        for month in (9, 10, 11, 12):
            due = date(2025, month, 15)
            invoice = self._invoice(self.customer, 100, due - timedelta(days=30), due)
            self._pay(invoice, date=date(2025, month, 25))
        self.customer._billing_refresh_payer_profile(self.company, date(2026, 3, 1))
        self.assertEqual(self.customer.billing_usual_payment_day, 25)
        self._invoice(self.customer, 300, "2026-03-01", "2026-03-31")
        # the offset (-3) would send on 28 March; the payment day 25 March
        self.assertFalse(self._run(date(2026, 3, 22)).get("emails"))
        self.assertEqual(self._run(date(2026, 3, 23))["emails"], 1)
        event = self._events(kind="email")
        self.assertEqual(event.step_id, self.steps[-3])

    def test_new_client_keeps_the_offset(self):
        self.sequence.payday_lead_days = 2
        due = date(2026, 2, 15)
        invoice = self._invoice(self.customer, 100, "2026-01-15", due)
        self._pay(invoice, date=date(2026, 2, 25))
        self.customer._billing_refresh_payer_profile(self.company, date(2026, 3, 1))
        self.assertEqual(self.customer.billing_payer_class, "new")
        self._invoice(self.customer, 300, "2026-03-01", "2026-03-31")
        self.assertFalse(self._run(date(2026, 3, 23)).get("emails"))
        self.assertEqual(self._run(date(2026, 3, 28))["emails"], 1)

    def test_users_see_managers_configure_rules(self):
        clerk = new_test_user(
            self.env,
            login="bf_rule_clerk",
            groups="billing_followup.billing_followup_group_user",
        )
        Rule = self.env["billing.followup.rule"].with_user(clerk)
        self.assertEqual(
            Rule.search([]), self.rule_tag | self.rule_big | self.rule_risk
        )
        with self.assertRaises(AccessError):
            self.rule_tag.with_user(clerk).name = "Mine"
        manager = new_test_user(
            self.env,
            login="bf_rule_manager",
            groups="billing_followup.billing_followup_group_manager",
        )
        self.rule_tag.with_user(manager).name = "Key customers"
        other = self.setup_other_company(name="Company B")["company"]
        sequence_b = self.env["billing.followup.sequence"].create(
            {"name": "B ladder", "company_id": other.id}
        )
        rule_b = self.env["billing.followup.rule"].create(
            {
                "name": "B rule",
                "company_id": other.id,
                "followup_sequence_id": sequence_b.id,
            }
        )
        self.assertNotIn(rule_b, Rule.search([]))
