from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import followup_kinds as kinds


class BillingFollowupPause(models.TransientModel):
    """Pause a customer, or one invoice, until a date with a reason; an
    empty date ends the pause now."""

    _name = "billing.followup.pause"
    _description = "Pause the Follow-up"

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    paused_until = fields.Date("Paused Until")
    reason = fields.Char(help="E.g. on holiday, contact after the 15th.")

    @api.model
    def _open_for(self, partner=None, move=None):
        # sudo: the current pause is a follow-up field, shown to whoever opens
        target = (move or partner.with_company(self.env.company)).sudo()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner and partner.commercial_partner_id.id,
                "default_move_id": move and move.id,
                "default_paused_until": target.billing_paused_until,
                "default_reason": target.billing_pause_reason,
            },
        }

    def action_apply(self):
        self.ensure_one()
        if not (self.partner_id or self.move_id):
            raise UserError(self.env._("Choose a customer or an invoice to pause."))
        values = {
            "billing_paused_until": self.paused_until,
            "billing_pause_reason": self.paused_until and self.reason,
        }
        if self.move_id:
            self.move_id.write(values)
            partner, company = (
                self.move_id.commercial_partner_id,
                self.move_id.company_id,
            )
            name = self.move_id.name
        else:
            company = self.env.company
            partner = self.partner_id.commercial_partner_id
            # follow-up users pause a customer without the right to edit contacts
            partner.with_company(company).sudo().write(values)
            name = partner.display_name
        note = (
            self.env._(
                "%(name)s paused until %(date)s: %(reason)s",
                name=name,
                date=self.paused_until,
                reason=self.reason,
            )
            if self.paused_until
            else self.env._("Pause of %(name)s ended.", name=name)
        )
        # sudo: users only read the ledger; what they did is written for them
        self.env["billing.followup.event"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "kind": kinds.PAUSE,
                "move_ids": self.move_id.ids,
                "user_id": self.env.uid,
                "note": note,
            }
        )
        return {"type": "ir.actions.act_window_close"}


class BillingFollowupDispute(models.TransientModel):
    """Dispute an invoice with a reason, or resolve its dispute with a note."""

    _name = "billing.followup.dispute"
    _description = "Dispute an Invoice"

    move_id = fields.Many2one("account.move", "Invoice", required=True, readonly=True)
    disputed = fields.Boolean(related="move_id.billing_disputed")
    reason = fields.Text()

    @api.model
    def _open_for(self, move):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": move.id},
        }

    def action_apply(self):
        self.ensure_one()
        if self.disputed:
            self.move_id._billing_resolve_dispute(self.reason)
        else:
            self.move_id._billing_dispute(self.reason)
        return {"type": "ir.actions.act_window_close"}
