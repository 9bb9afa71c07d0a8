from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, split_every

from ..tools import payer_profile
from .billing_followup_promise import BROKEN as PROMISE_BROKEN

FOLLOWUP_GROUP = "billing_followup.billing_followup_group_user"
PROFILE_BATCH = 1000
HISTORY_DAYS = 730  # paid invoices of the last 24 months
PAYER_CLASSES = [
    (payer_profile.NEW, "New"),
    (payer_profile.PUNCTUAL, "Punctual"),
    (payer_profile.LATE_RELIABLE, "Late but Reliable"),
    (payer_profile.AT_RISK, "At Risk"),
]
# stored profile field -> attribute of payer_profile.Profile
PROFILE_FIELDS = {
    "billing_payer_class": "payer_class",
    "billing_paid_invoice_count": "paid_count",
    "billing_avg_days_late": "avg_days_late",
    "billing_median_days_late": "median_days_late",
    "billing_on_time_share": "on_time_share",
    "billing_usual_payment_day": "usual_day",
    "billing_broken_promise_count": "broken_promises",
    "billing_dispute_count": "disputes",
}


class ResPartner(models.Model):
    """The payer profile: how the customer paid its invoices of the last 24
    months in each company. Company-dependent fields keep one value per
    company in the partner's row, so the batch refresh is one SQL update."""

    _inherit = "res.partner"

    billing_payer_class = fields.Selection(
        PAYER_CLASSES,
        "Payer Class",
        company_dependent=True,
        groups=FOLLOWUP_GROUP,
        help="From the customer's paid invoices of the last 24 months, "
        "refreshed by the daily follow-up run.",
    )
    billing_paid_invoice_count = fields.Integer(
        "Paid Invoices (24 Months)", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_avg_days_late = fields.Float(
        "Average Days Late", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_median_days_late = fields.Float(
        "Median Days Late", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_on_time_share = fields.Float(
        "Paid on Time", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_usual_payment_day = fields.Integer(
        "Usual Payment Day",
        company_dependent=True,
        groups=FOLLOWUP_GROUP,
        help="Day of the month most payments fall near (0: none).",
    )
    billing_broken_promise_count = fields.Integer(
        "Broken Promises (24 Months)", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_dispute_count = fields.Integer(
        "Disputed Invoices (24 Months)", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_payer_rule = fields.Char(
        "Why This Class", compute="_compute_billing_payer_rule", groups=FOLLOWUP_GROUP
    )

    billing_followup_rule_id = fields.Many2one(
        "billing.followup.rule",
        "Sequence Chosen By",
        compute="_compute_billing_followup_rule_id",
        groups="billing_followup.billing_followup_group_user",
    )

    @api.depends_context("company")
    @api.depends("billing_payer_class", "billing_avg_days_late")
    def _compute_billing_payer_rule(self):
        for partner in self:
            partner.billing_payer_rule = partner._billing_payer_rule_text()

    def _billing_payer_rule_text(self):
        _ = self.env._
        share, avg = self.billing_on_time_share, self.billing_avg_days_late
        match self.billing_payer_class:
            case payer_profile.PUNCTUAL:
                return _(
                    "%(share)s%% paid on time (at least %(min)s%%) and %(avg)s days "
                    "late on average (at most %(max)s)",
                    share=round(share * 100),
                    min=round(payer_profile.PUNCTUAL_SHARE * 100),
                    avg=avg,
                    max=payer_profile.PUNCTUAL_DAYS,
                )
            case payer_profile.LATE_RELIABLE:
                return _(
                    "%(avg)s days late on average (at most %(max)s)",
                    avg=avg,
                    max=payer_profile.RELIABLE_DAYS,
                )
            case payer_profile.AT_RISK if (
                self.billing_broken_promise_count
                >= payer_profile.BROKEN_PROMISES_AT_RISK
            ):
                return _(
                    "%(count)s promises to pay broken in 24 months (at risk from "
                    "%(min)s)",
                    count=self.billing_broken_promise_count,
                    min=payer_profile.BROKEN_PROMISES_AT_RISK,
                )
            case payer_profile.AT_RISK:
                return _(
                    "%(avg)s days late on average (more than %(max)s)",
                    avg=avg,
                    max=payer_profile.RELIABLE_DAYS,
                )
        return _(
            "Fewer than %(count)s paid invoices in 24 months",
            count=payer_profile.MIN_HISTORY,
        )

    # ------------------------------------------------------------------
    # REFRESH
    # ------------------------------------------------------------------

    def _billing_refresh_payer_profile(self, company=None, date=None):
        """Recompute the payer profile of these customers (their commercial
        entities) in `company` as of `date`: one read and one update per
        batch, whatever the number of customers."""
        company = company or self.env.company
        date = date or fields.Date.context_today(self)
        ids = sorted(set(self.commercial_partner_id.ids))
        self.env.flush_all()  # the history is read in SQL
        for batch in split_every(PROFILE_BATCH, ids):
            histories = self._billing_payment_histories(batch, company, date)
            broken, disputes = self._billing_trouble_counts(batch, company, date)
            profiles = {
                pid: payer_profile.profile(
                    histories.get(pid, []), broken.get(pid, 0), disputes.get(pid, 0)
                )
                for pid in batch
            }
            self._billing_write_profiles(profiles, company)
        return len(ids)

    @api.model
    def _billing_payment_histories(self, partner_ids, company, date):
        """{partner id: [(due date, payment date)]}: each receivable line of
        a customer invoice fully paid between 24 months before `date` and
        `date`, paid on the day its last reconciliation dates."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.partner_id, l.date_maturity, MAX(p.max_date)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_move m ON m.id = l.move_id
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE l.partner_id IN %(partners)s
                   AND l.company_id = %(company)s
                   AND a.account_type = %(receivable)s
                   AND l.parent_state = %(posted)s
                   AND l.reconciled
                   AND l.date_maturity IS NOT NULL
                   AND m.move_type = %(invoice)s
              GROUP BY l.id
                HAVING MAX(p.max_date) BETWEEN %(start)s AND %(date)s
                """,
                partners=tuple(partner_ids),
                receivable="asset_receivable",
                posted="posted",
                invoice="out_invoice",
                company=company.id,
                start=date - timedelta(days=HISTORY_DAYS),
                date=date,
            )
        )
        histories = defaultdict(list)
        for partner_id, due, paid in rows:
            histories[partner_id].append((due, paid))
        return histories

    @api.model
    def _billing_trouble_counts(self, partner_ids, company, date):
        """({partner id: promises broken}, {partner id: invoices disputed})
        over the 24 months before `date`, one query each."""
        start = date - timedelta(days=HISTORY_DAYS)
        promises = self.env["billing.followup.promise"]._read_group(
            [
                ("partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("state", "=", PROMISE_BROKEN),
                ("date", ">=", start),
                ("date", "<=", date),
            ],
            ["partner_id"],
            ["__count"],
        )
        disputes = self.env["account.move"]._read_group(
            [
                ("commercial_partner_id", "in", partner_ids),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("billing_disputed", "=", True),
                ("invoice_date", ">=", start),
                ("invoice_date", "<=", date),
            ],
            ["commercial_partner_id"],
            ["__count"],
        )
        return (
            {partner.id: count for partner, count in promises},
            {partner.id: count for partner, count in disputes},
        )

    @api.model
    def _billing_write_profiles(self, profiles, company):
        """Store {partner id: Profile} in `company`'s slot of each
        company-dependent profile field, in one UPDATE."""
        casts = {
            name: "%s::float" if self._fields[name].type == "float" else "%s"
            for name in PROFILE_FIELDS
        }
        values = SQL(", ").join(
            SQL(
                "(%s, %s)",
                pid,
                SQL(", ").join(
                    SQL(casts[name], getattr(found, attr))
                    for name, attr in PROFILE_FIELDS.items()
                ),
            )
            for pid, found in profiles.items()
        )
        key = str(company.id)
        sets = SQL(", ").join(
            SQL(
                "%(col)s = COALESCE(p.%(col)s, '{}'::jsonb) "
                "|| jsonb_build_object(%(key)s::text, v.%(col)s)",
                col=SQL.identifier(name),
                key=key,
            )
            for name in PROFILE_FIELDS
        )
        columns = SQL(", ").join(SQL.identifier(name) for name in PROFILE_FIELDS)
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner p SET %s FROM (VALUES %s) AS v(id, %s) "
                "WHERE p.id = v.id",
                sets,
                values,
                columns,
            )
        )
        self.browse(profiles).invalidate_recordset(list(PROFILE_FIELDS))

    # ------------------------------------------------------------------
    # SEQUENCE RULES
    # ------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_billing_followup_rule_id(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        for partner in self:
            # sudo: the rule in force is shown to whoever sees the customer
            partner.billing_followup_rule_id = partner.sudo()._billing_followup_rule(
                company, today
            )

    def _billing_followup_rule(self, company, date):
        """The first active rule of `company` this customer meets on `date`
        (its overdue amount read once, only if a rule needs it)."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        cache = []

        def overdue():
            if not cache:
                cache.append(partner._billing_overdue_total(company, date))
            return cache[0]

        for rule in company.billing_followup_rule_ids:
            if rule.followup_sequence_id.active and rule._matches(partner, overdue):
                return rule
        return self.env["billing.followup.rule"]

    def _billing_overdue_total(self, company, date):
        engine = self.env["billing.followup.engine"].with_company(company)
        domain = (
            engine._open_line_domain()
            & Domain("company_id", "=", company.id)
            & Domain("partner_id", "=", self.id)
            & Domain("date_maturity", "<", date)
        )
        groups = self.env["account.move.line"]._read_group(
            domain, [], ["amount_residual:sum"]
        )
        return groups[0][0]

    def _billing_payday_settings(self, sequence):
        """The decision's payment-day fields: a new client has no habits to
        plan around, whatever its first payments look like."""
        lead = sequence.payday_lead_days
        if not lead or self.billing_payer_class in (False, payer_profile.NEW):
            return {}
        return {"payday": self.billing_usual_payment_day, "payday_lead": lead}
