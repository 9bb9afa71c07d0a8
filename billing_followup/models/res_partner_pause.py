from dataclasses import replace

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import FOLLOWUP_GROUP


def check_billing_pause(records):
    """The one rule of a pause, of a customer or of an invoice: it says why
    and ends today or later."""
    today = fields.Date.context_today(records)
    for record in records.filtered("billing_paused_until"):
        if not record.billing_pause_reason:
            raise ValidationError(
                records.env._(
                    "Say why the follow-up of %(name)s is paused.",
                    name=record.display_name,
                )
            )
        if record.billing_paused_until < today:
            raise ValidationError(
                records.env._(
                    "A pause of %(name)s must end today or later, not on %(date)s.",
                    name=record.display_name,
                    date=record.billing_paused_until,
                )
            )


class ResPartner(models.Model):
    """What the client told us: a pause until a date, manual mode, and its
    open promises to pay; they reach the decision as settings."""

    _inherit = "res.partner"

    billing_paused_until = fields.Date(
        "Follow-up Paused Until",
        company_dependent=True,
        groups=FOLLOWUP_GROUP,
        help="No reminder to this customer until this day included; the "
        "follow-up then resumes with the current step only.",
    )
    billing_pause_reason = fields.Char(
        "Pause Reason", company_dependent=True, groups=FOLLOWUP_GROUP
    )
    billing_followup_manual = fields.Boolean(
        "Manual Follow-up",
        company_dependent=True,
        groups=FOLLOWUP_GROUP,
        help="The scheduled run proposes this customer's reminders for review "
        "and never sends them by itself.",
    )
    billing_promise_ids = fields.One2many(
        "billing.followup.promise", "partner_id", "Promises to Pay"
    )

    billing_hold_text = fields.Char(
        "Follow-up Waits", compute="_compute_billing_hold_text"
    )

    @api.depends_context("company")
    def _compute_billing_hold_text(self):
        """Why reminders wait: the pause, and the next open promise."""
        promises = self.env["billing.followup.promise"].search_fetch(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "open"),
            ],
            ["partner_id", "date"],
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            # sudo: the reason to wait is shown to whoever sees the customer
            paused = commercial.sudo().billing_paused_until
            due = promises.filtered(lambda p, c=commercial: p.partner_id == c)[:1]
            texts = [
                paused and self.env._("paused until %(date)s", date=paused),
                due and self.env._("promise due on %(date)s", date=due.date),
            ]
            partner.billing_hold_text = ", ".join(filter(None, texts))

    @api.constrains("billing_paused_until", "billing_pause_reason")
    def _check_billing_pause(self):
        check_billing_pause(self)

    def _billing_followup_policy(self, company, date):
        policy = super()._billing_followup_policy(company, date)
        partner = self.with_company(company)
        settings = replace(
            policy.settings,
            paused_until=partner.billing_paused_until or None,
            manual=partner.billing_followup_manual,
            promise_grace=policy.sequence.promise_grace_days,
            reply_pause=policy.sequence.reply_pause_days,
        )
        return replace(policy, settings=settings)

    def action_billing_pause(self):
        self.ensure_one()
        return self.env["billing.followup.pause"]._open_for(partner=self)

    def action_billing_log_call(self):
        self.ensure_one()
        return self.env["billing.followup.call"]._open_for(self)

    def action_billing_send_now(self):
        self.ensure_one()
        return self.env["billing.followup.send.now"]._open_for(self)

    def action_billing_promise(self):
        """A promise usually covers what is overdue: those invoices (not
        yet promised) and what they owe are proposed; the user narrows."""
        self.ensure_one()
        Promise = self.env["billing.followup.promise"]
        action = Promise._open_new(self)
        overdue = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
                ("billing_promise_ids", "not any", [("state", "=", "open")]),
            ]
        )
        if overdue:
            action["context"] |= {
                "default_move_ids": overdue.ids,
                "default_amount": Promise._open_residual(overdue),
            }
        return action
