from odoo import api, fields, models
from odoo.tools import format_date

from ..tools import followup_kinds as kinds
from .res_partner import FOLLOWUP_GROUP


class ResPartner(models.Model):
    """A client's reply to a follow-up email waits for someone to act: the
    customer says so, and Handled ends the wait."""

    _inherit = "res.partner"

    billing_replied_on = fields.Date(
        "Client Replied On",
        compute="_compute_billing_replied_on",
        groups=FOLLOWUP_GROUP,
        help="The client replied to a follow-up email on this day and no one "
        "acted since: automated reminders wait (see the sequence's pause after "
        "a reply).",
    )

    @api.depends_context("company")
    def _compute_billing_replied_on(self):
        company = self.env.company
        replied = self.env["billing.followup.event"]._billing_open_replies(
            self.commercial_partner_id.ids
        )
        for partner in self:
            key = (partner.commercial_partner_id.id, company.id)
            partner.billing_replied_on = replied.get(key, False)

    @api.depends_context("company")
    def _compute_billing_hold_text(self):
        """The reasons to wait also name the unanswered reply."""
        res = super()._compute_billing_hold_text()
        # sudo: the reason to wait is shown to whoever sees the customer
        for partner in self:
            replied = partner.sudo().billing_replied_on
            if replied:
                text = self.env._(
                    "client replied on %(date)s", date=format_date(self.env, replied)
                )
                partner.billing_hold_text = ", ".join(
                    filter(None, [partner.billing_hold_text, text])
                )
        return res

    def action_billing_reply_handled(self):
        """The client's reply was answered (outside Odoo too): the automated
        reminders resume and the reply's activities are closed."""
        Event = self.env["billing.followup.event"]
        company = self.env.company
        for partner in self.commercial_partner_id:
            Event._billing_log_handled(partner, company)
            # sudo: the activities may be assigned to another user
            replies = Event.sudo().search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("kind", "=", kinds.REPLY),
                    ("activity_id", "!=", False),
                ]
            )
            replies.activity_id.with_context(
                billing_reply_handled=True
            ).action_feedback(feedback=self.env._("Reply handled"))
        return True
