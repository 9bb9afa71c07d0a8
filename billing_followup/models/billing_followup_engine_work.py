from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

# A heads-up moved to the usual payment day goes out at most this many days
# (a month) before the due date, plus the sequence's lead days.
PAYDAY_SPAN = 31


class BillingFollowupEngineWork(models.AbstractModel):
    """Finding a run's work cheaply: one query tells which customers a
    decision may find an action for, so that a day with nothing due does
    not read and decide every customer with open items."""

    _inherit = "billing.followup.engine"

    @api.model
    def _may_act(self, keys, date=None):
        """The (partner id, company id) of `keys` whose decision on `date`
        (None: today, in any time zone) may be an action: a customer at a
        stage above good standing (to clear), or one owing an item that
        reached the earliest step of any sequence (or, with a usual
        payment day, might have). For the others every rule ends in a skip:
        nothing is due."""
        Step = self.env["billing.followup.step"].with_context(active_test=False)
        earliest = min(
            Step.search_fetch([], ["offset_days"]).mapped("offset_days"), default=None
        )
        if earliest is None or not keys:
            return list(keys)
        Sequence = self.env["billing.followup.sequence"].with_context(active_test=False)
        lead = max(
            Sequence.search_fetch([], ["payday_lead_days"]).mapped("payday_lead_days"),
            default=0,
        )
        horizon = max(-earliest, PAYDAY_SPAN + lead) if lead else -earliest
        on = date or fields.Date.today() + timedelta(days=1)
        last_due = on + timedelta(days=horizon)
        domain = (
            self._open_line_domain()
            & Domain("amount_residual", ">", 0)
            & (
                Domain("date_maturity", "<=", last_due)
                | (Domain("date_maturity", "=", False) & Domain("date", "<=", last_due))
            )
        )
        groups = self.env["account.move.line"]._read_group(
            domain, ["partner_id", "company_id"]
        )
        owing = {(p.id, c.id) for p, c in groups if p}
        acting = owing | self._staged_candidates()
        return [key for key in keys if key in acting]
