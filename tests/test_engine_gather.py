"""The open items the decision reads (`_gather`), read for a batch in one
query of plain values: what the invoices and their lines hold."""

from odoo.tests import freeze_time

from .contract_common import ContractCommon
from .followup_common import FollowupEngineCommon, day


class TestEngineGather(FollowupEngineCommon, ContractCommon):
    def test_items_hold_what_the_invoices_say(self):
        product = self.env["product.product"].create(
            {"name": "Late fee", "type": "service", "taxes_id": []}
        )
        policy, archived = self.env["billing.late.fee.policy"].create(
            [
                {
                    "name": name,
                    "company_id": self.company.id,
                    "kind": "fixed",
                    "fixed_amount": 40.0,
                    "product_id": product.id,
                }
                for name in ("In force", "Archived")
            ]
        )
        archived.active = False
        plain = self._invoice(self.customer, 100.0, day(-40), day(-2))
        disputed = self._invoice(self.customer, 110.0, day(-40), day(-3))
        disputed.billing_disputed = True
        paused = self._invoice(self.customer, 120.0, day(-40), day(-4))
        with freeze_time(day(0)):
            paused.write(
                {"billing_paused_until": day(9), "billing_pause_reason": "Away"}
            )
        agreed = self._invoice(self.customer, 130.0, day(-40), day(-5))
        agreed.billing_contract_id = self._contract(late_fee_policy_id=policy.id)
        old = self._invoice(self.customer, 140.0, day(-40), day(-6))
        old.billing_contract_id = self._contract(late_fee_policy_id=archived.id)
        fee = self._invoice(self.customer, 40.0, day(-1), day(9))
        fee.billing_fee_policy_id = policy
        credit = self._invoice(self.customer, 30.0, day(-20), move_type="out_refund")
        self._pay(plain, 40.0, day(-1))
        moves = plain | disputed | paused | agreed | old | fee | credit
        key = (self.customer.id, self.company.id)
        self.env.invalidate_all()
        items, _history = self.engine._gather([key])[key]
        lines = moves.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable"
        )
        agreed_line = (lines & agreed.line_ids).id
        self.assertEqual(sorted(item.line_id for item in items), sorted(lines.ids))
        by_line = {item.line_id: item for item in items}
        for line in lines:
            item, move = by_line[line.id], line.move_id
            self.assertEqual(item.due, line.date_maturity or line.date)
            self.assertEqual(item.residual, line.amount_residual_currency)
            self.assertEqual(item.currency, line.currency_id.id)
            self.assertEqual(item.rounding, line.currency_id.rounding)
            self.assertEqual(item.in_flight, move.payment_state == "in_payment")
            self.assertEqual(item.disputed, move.billing_disputed)
            self.assertEqual(item.paused_until, move.billing_paused_until or None)
            self.assertEqual(item.total, move.amount_total)
            self.assertEqual(item.is_fee, bool(move.billing_fee_policy_id))
        self.assertEqual(by_line[agreed_line].fee_policy, policy.id)
        self.assertEqual(
            {item.fee_policy for item in items if item.line_id != agreed_line},
            {0},
        )
        self.assertTrue(by_line[(lines & disputed.line_ids).id].disputed)
        self.assertEqual(by_line[(lines & paused.line_ids).id].paused_until, day(9))
        self.assertTrue(by_line[(lines & fee.line_ids).id].is_fee)
