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
        keys = [(pid, company.id) for (pid,) in self.env.execute_query(query)]

        def refresh(locked):
            # only the customers this run holds: another worker's customers
            # are refreshed by that worker (no wait on its row locks)
            partners = self.env["res.partner"].browse([p for p, _c in locked])
            return Counter(
                payer_profiles=partners._billing_refresh_payer_profile(company, on)
            )

        # no progress commits of its own: the reminders' time budget is not
        # spent on profiles; the reminders pass counts the locked customers
        count = 0
        for batch in self._batches(keys):
            count += self._locked_batch(batch, refresh)["payer_profiles"]
        return Counter(payer_profiles=count)
