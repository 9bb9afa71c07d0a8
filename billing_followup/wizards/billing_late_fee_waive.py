from odoo import fields, models


class BillingLateFeeWaive(models.TransientModel):
    """A manager waives fee invoices with a reason (logged on each)."""

    _name = "billing.late.fee.waive"
    _description = "Waive Late Fees"

    move_ids = fields.Many2many("account.move", string="Fee Invoices", required=True)
    reason = fields.Char(required=True)

    def action_waive(self):
        self.ensure_one()
        self.move_ids._billing_waive_fees(self.reason)
        return {"type": "ir.actions.act_window_close"}
