from odoo import fields, models


class BillingFollowupStage(models.Model):
    """A rung of the customer's standing; a step may move a customer to it."""

    _name = "billing.followup.stage"
    _description = "Follow-up Escalation Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    credit_hold = fields.Boolean(
        help="Customers at this stage get no new work until they pay."
    )
    active = fields.Boolean(default=True)
