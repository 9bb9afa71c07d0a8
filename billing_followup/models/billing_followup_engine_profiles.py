from collections import Counter
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from .res_partner_payer_profile import HISTORY_DAYS


class BillingFollowupEngine(models.AbstractModel):
    """The payer-profile pass: refreshes, before the reminders, the profile
    of every customer with receivable items of the last 24 months."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            (5, "billing.followup.engine", "_pass_payer_profiles"),
            *super()._billing_passes(),
        ]

    @api.model
    def _pass_payer_profiles(self, run):
        company = self.env.company
        on = run.date or self._today(company)
        query = SQL(
            """
            SELECT DISTINCT l.partner_id FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE l.company_id = %s AND a.account_type = %s
               AND l.parent_state = %s AND l.partner_id IS NOT NULL
               AND l.date >= %s
            """,
            company.id,
            "asset_receivable",
            "posted",
            on - timedelta(days=HISTORY_DAYS),
        )
        if run.partners:
            partner_ids = tuple(run.partners.commercial_partner_id.ids) or (0,)
            query = SQL("%s AND l.partner_id IN %s", query, partner_ids)
        ids = [pid for (pid,) in self.env.execute_query(query)]
        partners = self.env["res.partner"].browse(ids)
        count = partners._billing_refresh_payer_profile(company, on)
        return Counter(payer_profiles=count)
