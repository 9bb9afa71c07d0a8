"""A day with nothing due is cheap (issue 14): the run decides only the
customers an action may be due for, and refreshes only the payer profiles
that may have changed; the others are left as they are, rightly."""

from unittest.mock import patch

from odoo.tests import freeze_time

from .followup_common import FollowupEngineCommon, day


class TestEngineQuietDays(FollowupEngineCommon):
    def _decided(self):
        """Patch the planning: record the keys it decides."""
        decided = []
        Engine = type(self.engine)
        decide = Engine._decide

        def spy(engine, keys, *args, **kwargs):
            decided.extend(keys)
            return decide(engine, keys, *args, **kwargs)

        return decided, patch.object(Engine, "_decide", spy)

    def test_only_customers_an_action_may_be_due_for_are_decided(self):
        far = self.customer
        self._invoice(far, 100.0, day(-5), day(30))
        soon = far.copy({"name": "Soon"})
        self._invoice(soon, 100.0, day(-5), day(3))
        late = far.copy({"name": "Late"})
        self._invoice(late, 100.0, day(-40), day(-2))
        # a credit never triggers anything; staged: its stage is cleared
        staged = far.copy({"name": "Staged"})
        self._invoice(staged, 50.0, day(-5), day(-3), move_type="out_refund")
        staged.with_company(self.company).sudo().with_context(
            billing_stage_engine=True
        ).billing_stage_id = self.env.ref("billing_followup.stage_reminded")
        customers = far | soon | late | staged
        decided, spy = self._decided()
        with spy:
            counts = self._run(day(0), customers)
        ids = {p for p, _c in decided if p in customers.ids}
        # heads-up at -3: due on day 3 is reached today, day 30 is not
        self.assertEqual(ids, {soon.id, late.id, staged.id})
        self.assertEqual(counts["customers"], 4)
        self.assertEqual(counts["emails"], 2)
        self.assertEqual(counts["stages_cleared"], 1)
        self.assertEqual(counts["skipped_nothing_due"], 1)
        decided.clear()
        with spy:
            counts = self._run(day(27), far)
        self.assertEqual(counts["emails"], 1, "its heads-up, on time")

    def test_a_day_without_payments_refreshes_no_profile(self):
        invoices = {
            customer: self._invoice(customer, 100.0, day(-40), day(-10))
            for customer in (self.customer, self.customer.copy({"name": "Two"}))
        }
        customers = self.customer.browse([c.id for c in invoices])
        self.assertEqual(self._run(day(0), customers)["payer_profiles"], 2)
        self.assertEqual(customers.mapped("billing_payer_class"), ["new", "new"])
        self.assertEqual(self._run(day(1), customers)["payer_profiles"], 0)
        self._pay(invoices[self.customer], date=day(2))
        self.assertEqual(self._run(day(2), customers)["payer_profiles"], 1)
        self.assertEqual(self.customer.billing_paid_invoice_count, 1)
        # a broken promise changes a profile too
        other = customers - self.customer
        with freeze_time(day(1)):
            self.env["billing.followup.promise"].create(
                {
                    "partner_id": other.id,
                    "move_ids": invoices[other].ids,
                    "amount": 100.0,
                    "date": day(2),
                }
            )
        self._run(day(10), customers)  # broken after the profiles' pass
        self._run(day(11), customers)
        self.assertEqual(other.billing_broken_promise_count, 1)

    def test_statements_read_only_customers_with_a_statement_day(self):
        self.assertFalse(self.sequence.statement_day)
        monthly = self.customer.copy({"name": "Monthly"})
        for customer in (self.customer, monthly):
            self._invoice(customer, 100.0, day(-5), day(40))
        monthly.with_company(self.company).billing_statement_day = 1
        read = []
        Engine = type(self.engine)
        statements_due = Engine._statements_due

        def spy(engine, run, keys):
            read.extend(p for p, _c in keys)
            return statements_due(engine, run, keys)

        with patch.object(Engine, "_statements_due", spy):
            counts = self._run(day(0), self.customer | monthly)
        self.assertEqual(read, monthly.ids)
        self.assertEqual(counts["statements"], 1)
