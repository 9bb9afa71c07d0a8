from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import payment_plan as plan_logic


class BillingPaymentPlanLine(models.Model):
    """One instalment of a payment plan; its state is set by the plan's
    settlement (payments allocated in date order)."""

    _name = "billing.payment.plan.line"
    _description = "Payment Plan Instalment"
    _order = "date, id"

    plan_id = fields.Many2one(
        "billing.payment.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    state = fields.Selection(
        [
            (plan_logic.OPEN, "Open"),
            (plan_logic.PAID, "Paid"),
            (plan_logic.LATE, "Late"),
        ],
        required=True,
        default=plan_logic.OPEN,
        readonly=True,
        copy=False,
    )

    _amount_positive = models.Constraint(
        "CHECK(amount > 0)", "An instalment must be a positive amount."
    )

    @property
    def amount_units(self):
        """The amount in whole units of the currency's rounding."""
        return round(self.amount / self.currency_id.rounding)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(line.plan_id.state != "draft" for line in self):
            raise UserError(
                self.env._("Instalments of a started plan cannot be deleted.")
            )
