from collections import Counter
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from ..tools import payer_profile
from .billing_followup_promise import BROKEN as PROMISE_BROKEN
from .res_partner_payer_profile import HISTORY_DAYS


class BillingFollowupEngine(models.AbstractModel):
    """The payer-profile pass: refreshes, before the reminders, the profile
    of the customers with receivable items of the last 24 months whose
    profile may have changed."""

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
        query = self._profile_candidates(company, on)
        if run.partners:
            partner_ids = tuple(run.partners.commercial_partner_id.ids) or (0,)
            query = SQL("%s AND w.partner_id IN %s", query, partner_ids)
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

    @api.model
    def _profile_candidates(self, company, on):
        """Customers with receivable items in `company` of the 24 months
        before `on` whose profile may differ from the stored one: all but
        those stored as new, without paid invoices, broken promises or
        disputes, that have none of these to count (their profile is that
        one again). A day without payments refreshes no profile."""
        key = str(company.id)
        start = on - timedelta(days=HISTORY_DAYS)
        return SQL(
            """
            SELECT w.partner_id FROM (
                SELECT DISTINCT l.partner_id FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.company_id = %(company)s AND a.account_type = %(receivable)s
                   AND l.parent_state = %(posted)s AND l.partner_id IS NOT NULL
                   AND l.date >= %(start)s) w
              JOIN res_partner p ON p.id = w.partner_id
             WHERE (COALESCE(p.billing_payer_class->>%(key)s, '') != %(new)s
                    OR COALESCE((p.billing_paid_invoice_count->>%(key)s)::int, 0) != 0
                    OR COALESCE((p.billing_broken_promise_count->>%(key)s)::int, 0)
                       != 0
                    OR COALESCE((p.billing_dispute_count->>%(key)s)::int, 0) != 0
                    OR EXISTS (
                        SELECT 1 FROM account_move_line h
                          JOIN account_partial_reconcile r ON r.debit_move_id = h.id
                         WHERE h.partner_id = w.partner_id
                           AND h.company_id = %(company)s AND h.reconciled
                           AND r.max_date >= %(start)s)
                    OR EXISTS (
                        SELECT 1 FROM billing_followup_promise pr
                         WHERE pr.partner_id = w.partner_id
                           AND pr.company_id = %(company)s AND pr.state = %(broken)s)
                    OR EXISTS (
                        SELECT 1 FROM account_move m
                         WHERE m.commercial_partner_id = w.partner_id
                           AND m.company_id = %(company)s AND m.billing_disputed))
            """,
            company=company.id,
            receivable="asset_receivable",
            posted="posted",
            start=start,
            key=key,
            new=payer_profile.NEW,
            broken=PROMISE_BROKEN,
        )
