from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

MANAGER_GROUP = "billing_followup.billing_followup_group_manager"
OVERRIDE_KEY = "billing_credit_hold_override"


class AccountMoveCreditHold(models.Model):
    """No new work for a customer on credit hold: its new invoices are not
    posted unless a follow-up manager overrides the hold with a reason."""

    _inherit = "account.move"

    billing_credit_hold = fields.Boolean(
        "Customer on Credit Hold", compute="_compute_billing_credit_hold"
    )

    @api.depends("commercial_partner_id", "company_id", "billing_fee_policy_id")
    def _compute_billing_credit_hold(self):
        # a late fee is not new work: the hold never stops the fee the
        # contract announced (a monthly interest goes on during the hold)
        for move in self:
            partner = move.commercial_partner_id.with_company(move.company_id)
            move.billing_credit_hold = (
                move.move_type == "out_invoice"
                and not move.billing_fee_policy_id
                and partner.billing_credit_hold
            )

    def _post(self, soft=True):
        held = self.filtered("billing_credit_hold")
        if held:
            held._billing_check_credit_hold()
        return super()._post(soft=soft)

    def _billing_check_credit_hold(self):
        """Refuse, or log the manager's override on invoice and customer."""
        reason = self.env.context.get(OVERRIDE_KEY)
        if reason and self.env.user.has_group(MANAGER_GROUP):
            for move in self:
                move._billing_log_override(reason)
            return
        move = self[0]
        partner = move.commercial_partner_id.with_company(move.company_id)
        # sudo: the hold's stage and amounts are shown to whoever posts
        partner = partner.sudo()
        raise UserError(
            self.env._(
                "%(customer)s is on credit hold (stage %(stage)s): %(amount)s "
                "overdue, the oldest %(days)s days late. %(invoice)s cannot be "
                "posted; a follow-up manager can override the hold with a reason.",
                customer=partner.display_name,
                stage=partner.billing_stage_id.name,
                amount=format_amount(
                    self.env,
                    partner.billing_overdue_amount,
                    partner.billing_currency_id or move.company_id.currency_id,
                ),
                days=partner.billing_oldest_days_late,
                invoice=move.display_name,
            )
        )

    def _billing_log_override(self, reason):
        body = self.env._(
            "Credit hold overridden by %(user)s to post %(invoice)s: %(reason)s",
            user=self.env.user.name,
            invoice=self.display_name,
            reason=reason,
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        # a note on the customer, also for a manager without contact rights
        self.commercial_partner_id.sudo().with_context(
            billing_followup_engine=True
        ).message_post(body=body, subtype_xmlid="mail.mt_note")

    def action_billing_override_credit_hold(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Credit Hold"),
            "res_model": "billing.credit.hold.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }
