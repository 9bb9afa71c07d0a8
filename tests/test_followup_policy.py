"""The follow-up policy in force on a date: contract, customer, company."""

from datetime import date
from unittest.mock import patch

from odoo.addons.billing_followup.tools import followup_decision

from .contract_common import ContractCommon
from .followup_common import FollowupEngineCommon, day

NEXT_MONTH = date(2026, 4, 1)


class TestFollowupPolicy(FollowupEngineCommon, ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_sequence = cls.sequence.copy({"name": "As agreed"})
        cls.contract = cls._contract(
            date_start=NEXT_MONTH, followup_sequence_id=cls.contract_sequence.id
        )

    def _policy(self, on):
        return self.customer._billing_followup_policy(self.company, on)

    def test_contract_sequence_only_from_its_start(self):
        """`_plan(date)` judges the contract on that date, not on today."""
        self._invoice(self.customer, 100.0, day(-40), day(-5))
        key = (self.customer, self.company)
        on_day_0 = self.engine._plan(day(0), self.customer)[key]
        self.assertEqual(on_day_0[2], self.sequence)
        self.assertIn(on_day_0[1].step_id, self.sequence.step_ids.ids)
        next_month = self.engine._plan(NEXT_MONTH, self.customer)[key]
        self.assertEqual(next_month[2], self.contract_sequence)
        self.assertIn(next_month[1].step_id, self.contract_sequence.step_ids.ids)
        self.assertEqual(self._policy(day(0)).source, "company")
        self.assertEqual(self._policy(NEXT_MONTH).source, "contract")

    def test_archived_sequences_are_skipped(self):
        own = self.sequence.copy({"name": "Own"})
        self.customer.with_company(self.company).billing_followup_sequence_id = own
        self.assertEqual(self._policy(day(0)).sequence, own)
        self.contract_sequence.active = False
        self.assertEqual(
            (self._policy(NEXT_MONTH).source, self._policy(NEXT_MONTH).sequence),
            ("customer", own),
        )
        own.active = False
        self.assertEqual(self._policy(NEXT_MONTH).sequence, self.sequence)
        self.sequence.active = False
        policy = self._policy(NEXT_MONTH)
        self.assertEqual(policy.source, "none")
        self.assertTrue(policy.settings.excluded)

    def test_a_batch_builds_each_ladder_once(self):
        """The settings of a batch build the steps of each sequence (and
        stage) once, and each customer still reads its own sequence's."""
        own = self.sequence.copy({"name": "Own"})
        mine = self.customer.copy()
        mine.with_company(self.company).billing_followup_sequence_id = own
        customers = self.customer | self.customer.copy() | self.customer.copy() | mine
        keys = [(customer.id, self.company.id) for customer in customers]
        expected = {
            (customer.id, self.company.id): customer._billing_followup_policy(
                self.company, day(0)
            )
            for customer in customers
        }
        built = []
        step = followup_decision.Step

        def spy(*args, **kwargs):
            built.append(args[0])
            return step(*args, **kwargs)

        with patch.object(followup_decision, "Step", spy):
            settings = self.engine._settings(keys, day(0))
        self.assertTrue(own.step_ids)
        self.assertEqual(sorted(built), sorted((self.sequence | own).step_ids.ids))
        for key in keys:
            self.assertEqual(settings[key][0], expected[key].sequence)
            self.assertEqual(settings[key][1].steps, expected[key].settings.steps)
        self.assertEqual(settings[(mine.id, self.company.id)][0], own)
