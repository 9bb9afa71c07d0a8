from odoo import fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "billing_followup.billing_followup_group_manager"


class BillingCreditHoldOverride(models.TransientModel):
    """A follow-up manager posts invoices of a customer on credit hold, with
    the reason logged on the invoices and the customer."""

    _name = "billing.credit.hold.override"
    _description = "Override a Credit Hold"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Text(required=True)

    def action_post(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only follow-up managers can override a credit hold.")
            )
        self.move_ids.with_context(
            billing_credit_hold_override=self.reason
        ).action_post()
        return {"type": "ir.actions.act_window_close"}
