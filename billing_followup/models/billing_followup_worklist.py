from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

LOOK_AHEAD_DAYS = 30
# Columns the refresh writes, in the order of its VALUES rows.
REFRESHED_COLUMNS = (
    "partner_id",
    "company_id",
    "overdue_amount",
    "open_amount",
    "open_count",
    "oldest_due_date",
    "days_late",
    "next_step_id",
    "next_date",
    "stage_id",
    "responsible_id",
    "to_review_count",
    "failed_email_count",
    "last_contact_date",
    "refresh_date",
)


class BillingFollowupWorklist(models.Model):
    """Customers to follow up: one stored row per customer and company with
    open items, so the list sorts, filters and groups and a dashboard can
    count from it. The engine's run rewrites the rows of each batch in one
    upsert; users refresh the same way."""

    _name = "billing.followup.worklist"
    _description = "Customer to Follow Up"
    _inherit = ["billing.followup.mine.mixin"]
    _order = "overdue_amount desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    overdue_amount = fields.Monetary("Overdue", readonly=True)
    open_amount = fields.Monetary("Open Balance", readonly=True)
    open_count = fields.Integer("Open Items", readonly=True)
    oldest_due_date = fields.Date("Oldest Due Date", readonly=True)
    days_late = fields.Integer(
        "Days Late", readonly=True, help="Of the oldest overdue item."
    )
    next_step_id = fields.Many2one(
        "billing.followup.step", "Next Action", readonly=True, ondelete="set null"
    )
    next_date = fields.Date("Next Action Date", readonly=True)
    stage_id = fields.Many2one(
        "billing.followup.stage", "Stage", readonly=True, ondelete="set null"
    )
    stage_credit_hold = fields.Boolean("On Credit Hold", related="stage_id.credit_hold")
    responsible_id = fields.Many2one(
        "res.users", "Responsible", readonly=True, ondelete="set null"
    )
    to_review_count = fields.Integer("To Review", readonly=True)
    failed_email_count = fields.Integer(
        "Failed Emails",
        readonly=True,
        help="Emails that could not be delivered since the last one that was.",
    )
    last_contact_date = fields.Date("Last Contact", readonly=True)
    refresh_date = fields.Date(
        "As Of", readonly=True, help="Date of the refresh that wrote the row."
    )

    next_action = fields.Char(
        "Next Action or Reason",
        compute="_compute_next_action",
        help="What holds the customer back (a review, a failed email, a "
        "dispute, an exclusion), else the next step.",
    )

    _partner_company_unique = models.UniqueIndex(
        "(partner_id, company_id)", "A customer has one row per company."
    )

    @api.depends("to_review_count", "failed_email_count", "next_step_id")
    def _compute_next_action(self):
        """The reason first: a blank or a step would hide that the customer
        waits for a person. Two queries per page."""
        disputed = self._disputed_keys()
        excluded = self._excluded_keys()
        holds = self._hold_texts()
        for row in self:
            key = (row.partner_id, row.company_id)
            if row.to_review_count:
                row.next_action = self.env._("Waiting for review")
            elif row.failed_email_count:
                row.next_action = self.env._("Email failed: contact by hand")
            elif key in disputed and not row.next_step_id:
                row.next_action = self.env._("Disputed: no reminder")
            elif key in excluded:
                row.next_action = self.env._("Excluded from follow-up")
            elif holds.get(key):
                row.next_action = self.env._("Waits: %(why)s", why=holds[key])
            else:
                row.next_action = row.next_step_id.name

    def _disputed_keys(self):
        """{(customer, company)} of the rows with an open disputed invoice."""
        groups = self.env["account.move"]._read_group(
            [
                ("commercial_partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("billing_disputed", "=", True),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            ["commercial_partner_id", "company_id"],
        )
        return set(groups)

    def _hold_texts(self):
        """{(customer, company): why reminders wait} (pause, promise)."""
        return {
            (partner, company): partner.with_company(company).billing_hold_text
            for company in self.company_id
            for partner in self.filtered(
                lambda r, c=company: r.company_id == c
            ).partner_id
        }

    def _excluded_keys(self):
        """{(customer, company)} of the rows whose customer is excluded."""
        excluded = set()
        for company in self.company_id:
            # sudo: the exclusion is a follow-up setting the row only names
            partners = self.partner_id.sudo().with_company(company)
            excluded |= {
                (partner.with_env(self.env), company)
                for partner in partners
                if partner.billing_excluded
            }
        return excluded

    # REFRESH -------------------------------------------------------------

    @api.model
    def _pass_refresh(self, run):
        """Engine pass, after the reminders: rewrite the run's customers."""
        self._refresh_all(run.date, run.partners, run.commit)
        return {}

    @api.model
    def _refresh_all(self, date=None, partners=None, commit=False):
        """Rewrite the rows of every customer with open items in the current
        companies (or among `partners`), batch by batch, and drop the others;
        `commit` (scheduled runs) commits each batch. Customers another
        worker holds (SKIP LOCKED) are left to it: waiting for its row would
        block the run."""
        engine = self.env["billing.followup.engine"]
        keys = engine._candidates(partners)
        empty = []

        def refresh(locked):
            empty.extend(self._refresh(locked, date))
            return {}

        for batch in engine._batches(keys):
            engine._locked_batch(batch, refresh)
            if commit:
                self.env["ir.cron"]._commit_progress()
        self._prune(set(keys) - set(empty), partners)

    @api.model
    def _refresh(self, keys, date=None):
        """Rewrite the rows of (partner id, company id) `keys` as of `date`
        (default: each company's today) in a fixed number of queries; returns
        the keys with nothing open (a customer kept by its stage), which get
        no row."""
        engine = self.env["billing.followup.engine"]
        gathered = engine._gather(keys)
        empty = [key for key in keys if not gathered[key][0]]
        keys = [key for key in keys if gathered[key][0]]
        if not keys:
            return empty
        Company = self.env["res.company"]
        dates = {key: date or engine._today(Company.browse(key[1])) for key in keys}
        settings = engine._settings(keys, dates)
        residuals = self._company_residuals(gathered)
        counts = self._event_counts(keys)
        people = self._stage_and_responsible(keys)
        minimums = {}
        rows = []
        for key in keys:
            on = dates[key]
            items, history = gathered[key]
            rules = engine._with_minimums(settings[key][1], key, items, on, minimums)
            rows.append(
                (
                    *key,
                    *self._summary(items, history, rules, on, residuals),
                    *people[key],
                    *counts.get(key, (0, 0)),
                    history.last_contact,
                    on,
                )
            )
        self._upsert(rows)
        return empty

    @api.model
    def _company_residuals(self, gathered):
        """{line id: residual in company currency} of the gathered items
        (theirs are in the invoice's currency), in one query."""
        lines = self.env["account.move.line"].browse(
            [item.line_id for items, _history in gathered.values() for item in items]
        )
        lines.fetch(["amount_residual"])
        return {line.id: line.amount_residual for line in lines}

    @api.model
    def _summary(self, items, history, rules, on, residuals):
        """Amounts (company currency), open items, oldest overdue item and
        next action of one customer."""
        overdue = [i for i in items if i.due < on]
        oldest = min((i.due for i in overdue if i.residual > 0), default=None)
        upcoming = logic.look_ahead(items, history, rules, on, LOOK_AHEAD_DAYS, 1)
        next_date, action = upcoming[0] if upcoming else (None, None)
        return (
            sum(residuals[i.line_id] for i in overdue),
            sum(residuals[i.line_id] for i in items),
            sum(i.residual > 0 for i in items),
            oldest,
            (on - oldest).days if oldest else 0,
            action and action.step_id,
            next_date,
        )

    @api.model
    def _event_counts(self, keys):
        """{key: (steps to review (lines of the review list), failed emails
        not followed by a sent one)}."""
        partner_ids = tuple(sorted({p for p, _c in keys}))
        rows = self.env.execute_query(
            SQL(
                """SELECT event.partner_id, event.company_id,
                          COUNT(DISTINCT (event.step_id, event.cycle_date))
                              FILTER (WHERE event.state = %(review)s),
                          COUNT(*) FILTER (
                              WHERE event.state = %(failed)s
                                AND event.kind = %(email)s
                                AND NOT EXISTS (
                                    SELECT 1 FROM billing_followup_event sent
                                     WHERE sent.partner_id = event.partner_id
                                       AND sent.company_id = event.company_id
                                       AND sent.kind = %(email)s
                                       AND sent.state = %(done)s
                                       AND sent.id > event.id))
                     FROM billing_followup_event event
                    WHERE event.partner_id IN %(partners)s
                      AND event.state IN %(states)s
                 GROUP BY event.partner_id, event.company_id""",
                review=kinds.TO_REVIEW,
                failed=kinds.FAILED,
                done=kinds.DONE,
                email=kinds.EMAIL,
                states=(kinds.TO_REVIEW, kinds.FAILED),
                partners=partner_ids,
            )
        )
        return {(p, c): (review, failed) for p, c, review, failed in rows}

    @api.model
    def _stage_and_responsible(self, keys):
        """{key: (stage id, responsible id)}, one read per company."""
        by_company = defaultdict(list)
        for partner_id, company_id in keys:
            by_company[company_id].append(partner_id)
        result = {}
        for company_id, partner_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            partners = self.env["res.partner"].with_company(company).browse(partner_ids)
            for partner in partners:
                responsible = (
                    partner.billing_responsible_id or company.billing_responsible_id
                )
                result[(partner.id, company_id)] = (
                    partner.billing_stage_id.id or None,
                    responsible.id or None,
                )
        return result

    @api.model
    def _upsert(self, rows):
        columns = SQL(", ").join(SQL.identifier(name) for name in REFRESHED_COLUMNS)
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name in (*REFRESHED_COLUMNS[2:], "write_uid", "write_date")
        )
        stamp = (self.env.uid, self.env.uid, self.env.cr.now(), self.env.cr.now())
        values = SQL(", ").join(SQL("%s", (*row, *stamp)) for row in rows)
        self.env.execute_query(
            SQL(
                """INSERT INTO billing_followup_worklist
                        (%s, create_uid, write_uid, create_date, write_date)
                   VALUES %s
              ON CONFLICT (partner_id, company_id) DO UPDATE SET %s""",
                columns,
                values,
                updates,
            )
        )
        self.invalidate_model()

    @api.model
    def _prune(self, keys, partners=None):
        """Delete the rows of customers without open items any more: those
        of the companies (and `partners`) in scope that are not in `keys`."""
        scope = SQL("company_id IN %s", tuple(self.env.companies.ids))
        if partners is not None:
            ids = tuple(partners.commercial_partner_id.ids) or (0,)
            scope = SQL("%s AND partner_id IN %s", scope, ids)
        kept = SQL("")
        if keys:
            # arrays, not a tuple list: 10,000 pairs exceed PostgreSQL's stack
            partner_ids, company_ids = zip(*sorted(keys), strict=True)
            kept = SQL(
                """AND NOT EXISTS (
                       SELECT 1 FROM unnest(%s::int[], %s::int[]) AS kept(p, c)
                        WHERE kept.p = partner_id AND kept.c = company_id)""",
                list(partner_ids),
                list(company_ids),
            )
        self.env.execute_query(
            SQL(
                """DELETE FROM billing_followup_worklist WHERE id IN (
                       SELECT id FROM billing_followup_worklist WHERE %s %s
                          FOR UPDATE SKIP LOCKED)""",
                scope,
                kept,
            )
        )
        self.invalidate_model()

    # ACTIONS -------------------------------------------------------------

    def action_refresh(self):
        """Refresh button (with or without rows selected): the code the
        scheduled run uses, for all customers of the user's companies."""
        self._refresh_all()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
        }


class BillingFollowupEngineWorklist(models.AbstractModel):
    """Adds the worklist refresh to the run's passes."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (90, "billing.followup.worklist", "_pass_refresh"),
        ]
