from odoo import api, fields, models
from odoo.fields import Domain


class BillingFollowupEngine(models.AbstractModel):
    """Decides and performs the daily follow-up of customers' open items."""

    _name = "billing.followup.engine"
    _description = "Billing Follow-up Engine"

    @api.model
    def _open_receivable_domain(self, date):
        """Posted, unreconciled receivable lines past their due date on `date`."""
        return Domain(
            [
                ("company_id", "in", self.env.companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("date_maturity", "<", date),
                ("amount_residual", ">", 0),
            ]
        )

    @api.model
    def _plan(self, date=None, partners=None):
        """Overdue items per commercial partner on `date`, without side effect."""
        date = date or fields.Date.context_today(self)
        domain = self._open_receivable_domain(date)
        if partners is not None:
            domain &= Domain("partner_id.commercial_partner_id", "in", partners.ids)
        groups = self.env["account.move.line"]._read_group(
            domain, ["partner_id"], ["id:recordset"]
        )
        plan = {}
        for partner, lines in groups:
            plan.setdefault(partner.commercial_partner_id, lines.browse())
            plan[partner.commercial_partner_id] |= lines
        return plan

    @api.model
    def _run(self, date=None, partners=None):
        """Act on what `_plan` found; returns counts for the run's summary."""
        plan = self._plan(date=date, partners=partners)
        return {
            "customers_overdue": len(plan),
            "items_overdue": sum(len(lines) for lines in plan.values()),
        }

    @api.model
    def _cron_run(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )._run()
