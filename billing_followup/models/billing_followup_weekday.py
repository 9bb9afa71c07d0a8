from odoo import fields, models


class BillingFollowupWeekday(models.Model):
    """A day of the week, to say when messages may or may not go out."""

    _name = "billing.followup.weekday"
    _description = "Follow-up Weekday"
    _order = "number"

    name = fields.Char(required=True, translate=True)
    number = fields.Integer(required=True, help="0 is Monday, 6 is Sunday.")

    _number_unique = models.Constraint("UNIQUE(number)", "Each weekday exists once.")
