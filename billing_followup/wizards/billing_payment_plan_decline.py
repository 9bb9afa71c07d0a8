from odoo import fields, models


class BillingPaymentPlanDecline(models.TransientModel):
    """Decline a client's request for instalments with a note it receives."""

    _name = "billing.payment.plan.decline"
    _description = "Decline a Payment Plan Request"

    plan_ids = fields.Many2many(
        "billing.payment.plan", string="Requests", required=True
    )
    note = fields.Text("Message to the Client", required=True)

    def action_decline(self):
        self.ensure_one()
        self.plan_ids._billing_decline(self.note)
        return {"type": "ir.actions.act_window_close"}
