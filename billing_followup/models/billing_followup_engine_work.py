from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

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
        [(earliest,)] = Step._read_group([], aggregates=["offset_days:min"])
        if earliest is None or not keys:
            return list(keys)
        Sequence = self.env["billing.followup.sequence"].with_context(active_test=False)
        [(lead,)] = Sequence._read_group([], aggregates=["payday_lead_days:max"])
        horizon = max(-earliest, PAYDAY_SPAN + lead) if lead else -earliest
        on = date or fields.Date.today() + timedelta(days=1)
        last_due = on + timedelta(days=horizon)
        domain = (
            self._open_line_domain()
            # owed in the invoice's currency (what the decision counts) or ours
            & (
                Domain("amount_residual_currency", ">", 0)
                | Domain("amount_residual", ">", 0)
            )
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

    @api.model
    def _may_get_statements(self, keys):
        """The (partner id, company id) of `keys` a monthly statement may be
        due to: all of them once a sequence sends statements (or a default
        statement day is set for customers), else those with a statement
        day of their own (one query)."""
        Sequence = self.env["billing.followup.sequence"]
        # sudo: the defaults are technical records users may not read
        defaults = self.env["ir.default"].sudo()
        if (
            not keys
            or Sequence.search_count([("statement_day", ">", 0)], limit=1)
            or defaults.search_count(
                [
                    ("field_id.model", "=", "res.partner"),
                    ("field_id.name", "=", "billing_statement_day"),
                ],
                limit=1,
            )
        ):
            return list(keys)
        with_day = set()
        for company in self.env.companies:
            with_day |= {
                (partner_id, company.id)
                for (partner_id,) in self.env.execute_query(
                    SQL(
                        """SELECT id FROM res_partner
                            WHERE COALESCE((billing_statement_day->>%s)::int, 0) > 0""",
                        str(company.id),
                    )
                )
            }
        return [key for key in keys if key in with_day]
