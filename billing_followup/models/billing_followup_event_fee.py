from datetime import timedelta

from odoo import models
from odoo.tools import format_amount


class BillingFollowupEvent(models.Model):
    """What a reminder says about late fees: the step before a fee step
    announces it, the fee step shows it; nothing when no policy applies."""

    _inherit = "billing.followup.event"

    def _billing_fee_announce(self):
        """(date, policy) of the fee the next step will charge, or None."""
        self.ensure_one()
        offset = self.step_id.offset_days
        # the first step after this one (min keeps the first of equals, as sorted)
        later = min(
            (s for s in self.step_id.sequence_id.step_ids if s.offset_days > offset),
            key=lambda s: s.offset_days,
            default=self.step_id.browse(),
        )
        if not (self.cycle_date and later.apply_late_fee):
            return None
        policy = self._billing_fee_policy()
        if not policy:
            return None
        fee_date = self.cycle_date + timedelta(days=later.offset_days)
        return max(fee_date, self.date + timedelta(days=policy.notice_days)), policy

    def _billing_fee_policy(self):
        """The policy in force for the customer: its invoices' contract's,
        else its own, else its sequence's."""
        contract = self.move_ids.billing_contract_id.late_fee_policy_id[:1]
        partner = self.partner_id.with_company(self.company_id)
        return (
            contract
            or partner.billing_late_fee_policy_id
            or self.step_id.sequence_id.late_fee_policy_id
        )

    def _billing_fee_lines(self):
        """[(fee line text, amount text)] the fee this step charges today
        (the run posts it right after the message); computed once for the
        events rendered together (their prefetch set)."""
        self.ensure_one()
        if not self.step_id.apply_late_fee or not self.cycle_date:
            return []
        batch = self.browse(self._prefetch_ids).filtered(
            lambda e: e.step_id.apply_late_fee and e.cycle_date
        )
        cache_key = ("billing_fee_lines", tuple(sorted(batch.ids)))
        if cache_key not in self.env.cr.cache:
            self.env.cr.cache[cache_key] = batch._billing_fee_lines_batch()
        return self.env.cr.cache[cache_key].get(self.id, [])

    def _billing_fee_lines_batch(self):
        """{event id: [(fee line text, amount text)]}, per date in one go."""
        Policy = self.env["billing.late.fee.policy"]
        result = {}
        for on, events in self.grouped("date").items():
            keys = list({(e.partner_id.id, e.company_id.id) for e in events})
            dues = Policy._fee_dues(keys, on)
            for event in events:
                _on, fee_dues = dues[(event.partner_id.id, event.company_id.id)]
                result[event.id] = self._billing_fee_texts(fee_dues)
        return result

    def _billing_fee_texts(self, fee_dues):
        Policy = self.env["billing.late.fee.policy"]
        texts = []
        for due in fee_dues:
            currency = self.env["res.currency"].browse(due.currency)
            for line_id, policy_id, fee in due.charges:
                line = self.env["account.move.line"].browse(line_id)
                texts.append(
                    (
                        Policy.browse(policy_id)._fee_line_name(line, fee),
                        format_amount(self.env, fee.amount, currency),
                    )
                )
        return texts
