from datetime import timedelta

from odoo import fields, models


class ResCompany(models.Model):
    """Limits of what a client may ask from its page."""

    _inherit = "res.company"

    billing_portal_promise_days = fields.Integer(
        "Furthest Promise (Days)",
        default=30,
        help="A client may promise to pay, or start instalments, at most this "
        "many days ahead from its page.",
    )
    billing_portal_daily_limit = fields.Integer(
        "Client Requests per Day",
        default=5,
        help="Promises, disputes and instalment requests a client may send "
        "from its page each day.",
    )

    _billing_portal_limits = models.Constraint(
        "CHECK(billing_portal_promise_days >= 0 AND billing_portal_daily_limit >= 0)",
        "The client page's limits cannot be negative.",
    )

    def _billing_portal_promise_until(self, today):
        self.ensure_one()
        return today + timedelta(days=self.billing_portal_promise_days)
