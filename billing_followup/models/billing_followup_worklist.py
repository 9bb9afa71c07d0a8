from odoo import api, fields, models


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
        "Computed On",
        readonly=True,
        help="Date of the run that last computed the row. A run computes a "
        "row again when what it shows may change; days late grow every day.",
    )
    # what lets a run keep the row as it is (see _stale_keys)
    valid_until = fields.Date(
        readonly=True,
        help="First date on which the row may read otherwise: an item falls "
        "due, a step or a pause comes, the next action passes.",
    )
    config_key = fields.Char(
        readonly=True, help="Fingerprint of the settings the row was computed with."
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
