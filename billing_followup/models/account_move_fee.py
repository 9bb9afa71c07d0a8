from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "billing_followup.billing_followup_group_manager"
PAID_STATES = ("paid", "in_payment", "reversed")


class AccountMove(models.Model):
    """Fee invoices: the late invoices they charge for, linked both ways,
    and their waiver."""

    _inherit = "account.move"

    billing_fee_policy_id = fields.Many2one(
        "billing.late.fee.policy",
        "Late Fee Policy",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Set on a fee invoice: the policy it charges.",
    )
    billing_fee_source_ids = fields.Many2many(
        "account.move",
        "billing_fee_source_rel",
        "fee_id",
        "source_id",
        string="Late Invoices",
        copy=False,
        readonly=True,
        help="The overdue invoices this fee charges for.",
    )
    billing_fee_ids = fields.Many2many(
        "account.move",
        "billing_fee_source_rel",
        "source_id",
        "fee_id",
        string="Late Fees",
        copy=False,
        readonly=True,
    )
    billing_fee_count = fields.Integer(compute="_compute_billing_fee_count")
    billing_fee_waiver_reason = fields.Char(
        "Waiver Reason", copy=False, readonly=True, tracking=True
    )

    def _get_next_sequence_format(self):
        """Within one posting of fee invoices (context key
        `billing_sequence_formats`), the number format of a journal, date and
        type is read once: the next invoices follow from it through Odoo's
        own sequence cache instead of reading the last number again (three
        queries per invoice)."""
        formats = self.env.context.get("billing_sequence_formats")
        if formats is None:
            return super()._get_next_sequence_format()
        key = (
            self.journal_id.id,
            self.date,
            self.move_type,
            self.journal_id.is_self_billing and self.commercial_partner_id.id,
        )
        if key not in formats:
            formats[key] = super()._get_next_sequence_format()
        format_string, values = formats[key]
        return format_string, dict(values)

    @api.depends("billing_fee_ids")
    def _compute_billing_fee_count(self):
        for move in self:
            move.billing_fee_count = len(move.billing_fee_ids)

    def action_view_billing_fees(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_fee_invoice_action"
        )
        action["domain"] = [("id", "in", self.billing_fee_ids.ids)]
        return action

    def action_billing_waive_fee(self):
        """The waiver wizard (a reason is required)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive Late Fee"),
            "res_model": "billing.late.fee.waive",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _billing_waive_fees(self, reason):
        """Reverse these unpaid fee invoices by a credit note each, with
        `reason` logged on them. Managers only (the engine waives in its
        own right when the policy says so)."""
        if not (
            self.env.su
            or self.env.context.get("billing_followup_engine")
            or self.env.user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(self.env._("Only a follow-up manager may waive a fee."))
        for fee in self:
            if not fee.billing_fee_policy_id or fee.state != "posted":
                raise UserError(
                    self.env._(
                        "%(name)s is not a posted late fee invoice: nothing to "
                        "waive.",
                        name=fee.display_name,
                    )
                )
            if fee.payment_state in PAID_STATES:
                raise UserError(
                    self.env._(
                        "%(name)s is already paid or reversed: refund the "
                        "customer instead.",
                        name=fee.display_name,
                    )
                )
        reversals = self._reverse_moves([{"ref": reason} for _fee in self], cancel=True)
        for fee in self:
            fee.billing_fee_waiver_reason = reason
            fee.message_post(
                body=self.env._("Late fee waived: %(reason)s", reason=reason)
            )
        return reversals
