from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import demand_letter as demand
from ..tools import followup_kinds as kinds

MANAGER_GROUP = "billing_followup.billing_followup_group_manager"


class BillingFollowupEventApproval(models.Model):
    """The managers' approval of a stage that needs it: the step's events
    wait (`to_approve`) until a manager approves them, then happen; a
    rejection cancels them and keeps the customer where it was."""

    _inherit = "billing.followup.event"

    def _billing_check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only follow-up managers approve or reject a stage.")
            )

    def _billing_to_approve(self):
        """Every waiting event of the steps `self` belongs to."""
        self.check_access("read")
        self._billing_check_manager()
        waiting = self.filtered(lambda e: e.state == kinds.TO_APPROVE)
        if not waiting:
            raise UserError(
                self.env._("Only events waiting for approval can be approved.")
            )
        # the manager reads the ledger; the decision is written for them
        siblings = self.sudo().search(
            [
                ("state", "=", kinds.TO_APPROVE),
                ("partner_id", "in", waiting.partner_id.ids),
                ("step_id", "in", waiting.step_id.ids),
                ("cycle_date", "in", waiting.mapped("cycle_date")),
            ]
        )
        return siblings.filtered(
            lambda e: any(
                (e.partner_id, e.company_id, e.step_id, e.cycle_date)
                == (w.partner_id, w.company_id, w.step_id, w.cycle_date)
                for w in waiting
            )
        )

    def action_approve(self):
        """Let the step happen now (or go to review, if its step or the
        customer's manual mode asks for it)."""
        events = self._billing_to_approve()
        events._billing_check_own_customer()
        today = fields.Date.context_today(self)
        # the step's review, or the customer's manual mode, still applies
        review = events.filtered(
            lambda e: e.step_id.needs_review
            or e.partner_id.with_company(e.company_id).billing_followup_manual
        )
        review.write({"state": kinds.TO_REVIEW, "date": today, "user_id": self.env.uid})
        now = (events - review)._billing_drop_settled()
        now.write({"state": kinds.DONE, "date": today, "user_id": self.env.uid})
        self.env["billing.followup.engine"]._perform(now)
        self._billing_log_decision(events, self.env._("approved"))
        return True

    def action_reject(self):
        """Keep the customer where it was: the step is cancelled, its key
        kept, so the run does not propose it again in this cycle."""
        events = self._billing_to_approve()
        events.write(
            {
                "state": kinds.CANCELLED,
                "note": self.env._("Rejected by a manager"),
                "user_id": self.env.uid,
            }
        )
        self._billing_log_decision(events, self.env._("rejected"))
        return True

    def _billing_log_decision(self, events, decision):
        for partner in events.partner_id:
            stages = events.filtered(lambda e, p=partner: e.partner_id == p).stage_id
            # a note on the customer, whoever may write on contacts
            partner.sudo().with_context(billing_followup_engine=True).message_post(
                body=self.env._(
                    "Stage %(stage)s %(decision)s by %(user)s.",
                    stage=", ".join(stages.mapped("name")),
                    decision=decision,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # Helpers for the demand letter ---------------------------------------

    def _billing_since(self):
        """Due date of the oldest listed item: what is owed since when."""
        self.ensure_one()
        dues = [line.date_maturity or line.date for line in self.line_ids]
        return min(dues) if dues else self.date

    def _billing_sent_before(self):
        """The messages the customer received, oldest first."""
        self.ensure_one()
        return self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("kind", "in", kinds.MESSAGE_KINDS),
                ("state", "=", kinds.DONE),
                ("date", "<=", self.date),
            ],
            order="date, id",
        )

    def _billing_demand_amounts(self):
        """[(currency, owed, late fees, agency fee)] per currency of the
        listed items; fees only as the customer's late fee policy allows
        (see `tools/demand_letter.py`)."""
        self.ensure_one()
        engine = self.env["billing.followup.engine"]
        key = (self.partner_id.id, self.company_id.id)
        items, history = engine._gather([key])[key]
        _sequence, rules = engine._settings([key], self.date)[key]
        listed = [item for item in items if item.line_id in self.line_ids.ids]
        terms = self.env["billing.late.fee.policy"]._fee_terms(
            listed, rules.fee_policy, self.date, {}
        )
        late = demand.late_fees(listed, history, rules.fee_policy, terms, self.date)
        percent = self.stage_id.agency_fee_percent
        if not demand.allows_fees(listed, rules.fee_policy):
            percent = 0.0
        owed = {}
        for line in self.line_ids:
            currency = line.currency_id
            owed[currency] = owed.get(currency, 0.0) + line.amount_residual_currency
        return [
            (
                currency,
                total,
                late.get(currency.id, 0.0),
                demand.agency_fee(total, percent, currency.rounding),
            )
            for currency, total in sorted(owed.items(), key=lambda kv: kv[0].name)
        ]
