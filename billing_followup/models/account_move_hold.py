from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import followup_kinds as kinds
from .res_partner_pause import check_billing_pause


class AccountMove(models.Model):
    """An invoice the client talked to us about: disputed with a reason,
    or paused until a date; either keeps it out of reminders, fees and
    escalation (the decision leaves it out) until it ends."""

    _inherit = "account.move"

    billing_dispute_reason = fields.Text(
        "Dispute Reason", copy=False, tracking=True, readonly=True
    )
    billing_paused_until = fields.Date(
        "Follow-up Paused Until",
        copy=False,
        tracking=True,
        help="No reminder about this invoice until this day included.",
    )
    billing_pause_reason = fields.Char("Pause Reason", copy=False, tracking=True)
    billing_promise_ids = fields.Many2many(
        "billing.followup.promise", string="Promises to Pay", copy=False
    )

    @api.constrains("billing_paused_until", "billing_pause_reason")
    def _check_billing_pause(self):
        check_billing_pause(self)

    def _billing_dispute(self, reason):
        """The client disputes this invoice: out of the follow-up until
        resolved; logged, and the responsible gets an activity."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(
                self.env._("Say why %(name)s is disputed.", name=self.display_name)
            )
        if self.move_type != "out_invoice" or self.state != "posted":
            raise UserError(
                self.env._(
                    "Only a posted customer invoice can be disputed, not %(name)s.",
                    name=self.display_name,
                )
            )
        self.write({"billing_disputed": True, "billing_dispute_reason": reason})
        note = self.env._("Disputed: %(reason)s", reason=reason)
        self._billing_log(kinds.DISPUTE, note)
        engine = self.env["billing.followup.engine"]
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Resolve the dispute"),
            note=note,
            user_id=engine._responsible(self.commercial_partner_id, self.company_id).id,
        )

    def _billing_resolve_dispute(self, note):
        """The dispute is settled: the invoice is followed up again."""
        self.ensure_one()
        if not self.billing_disputed:
            raise UserError(
                self.env._("%(name)s is not disputed.", name=self.display_name)
            )
        if not (note or "").strip():
            raise UserError(
                self.env._(
                    "Say how the dispute on %(name)s was resolved.",
                    name=self.display_name,
                )
            )
        self.write({"billing_disputed": False, "billing_dispute_reason": False})
        self._billing_log(
            kinds.DISPUTE, self.env._("Dispute resolved: %(note)s", note=note)
        )

    def _billing_log(self, kind, note):
        """An event of the customer's ledger about this invoice."""
        # sudo: users only read the ledger; what they did is written for them
        return (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.commercial_partner_id.id,
                    "company_id": self.company_id.id,
                    "kind": kind,
                    "move_ids": self.ids,
                    "user_id": self.env.uid,
                    "note": note,
                }
            )
        )

    def action_billing_dispute(self):
        self.ensure_one()
        return self.env["billing.followup.dispute"]._open_for(self)

    def action_billing_pause(self):
        self.ensure_one()
        return self.env["billing.followup.pause"]._open_for(move=self)

    def action_billing_send_now(self):
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        return self.env["billing.followup.send.now"]._open_for(partner)

    def action_billing_promise(self):
        self.ensure_one()
        action = self.env["billing.followup.promise"]._open_new(
            self.commercial_partner_id
        )
        action["context"] |= {
            "default_move_ids": self.ids,
            "default_company_id": self.company_id.id,
            "default_amount": self.amount_residual,
        }
        return action
