from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import payment_plan as plan_logic


class BillingPaymentPlanPropose(models.TransientModel):
    """Proposes instalments for a customer's open invoices (all of them,
    from the customer, or those selected in the invoice list); the draft
    plan it creates can be edited by hand before it starts."""

    _name = "billing.payment.plan.propose"
    _description = "Propose a Payment Plan"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company
    )
    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    move_ids = fields.Many2many(
        "account.move", string="Invoices", check_company=True, required=True
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_amount")
    amount = fields.Monetary("Open Amount", compute="_compute_amount")
    count = fields.Integer("Instalments", default=3, required=True)
    period = fields.Selection(
        [(plan_logic.WEEKS, "Weekly"), (plan_logic.MONTHS, "Monthly")],
        default=plan_logic.MONTHS,
        required=True,
    )
    first_date = fields.Date(
        "First Instalment",
        required=True,
        default=lambda s: fields.Date.context_today(s) + relativedelta(months=1),
    )
    down_payment = fields.Monetary()
    tolerance_days = fields.Integer(
        default=5,
        help="Days an instalment may be late before the plan is broken.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "account.move":
            moves = self.env["account.move"].browse(ids)
        elif model == "res.partner":
            partner = self.env["res.partner"].browse(ids[:1]).commercial_partner_id
            moves = self.env["account.move"].search(self._open_invoices(partner))
        else:
            return values
        values["move_ids"] = [Command.set(moves.ids)]
        values["partner_id"] = moves.commercial_partner_id[:1].id
        return values

    @api.model
    def _open_invoices(self, partner):
        return Domain(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )

    @api.depends("move_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.currency_id = (
                wizard.move_ids.currency_id[:1] or wizard.company_id.currency_id
            )
            wizard.amount = sum(wizard.move_ids.mapped("amount_residual"))

    def _check(self):
        if len(self.move_ids.commercial_partner_id) > 1:
            raise UserError(
                self.env._("A payment plan covers the invoices of one customer.")
            )
        if len(self.move_ids.currency_id) > 1:
            raise UserError(
                self.env._("A payment plan covers invoices of one currency.")
            )
        if self.count < 1:
            raise UserError(self.env._("A plan needs at least one instalment."))
        if self.first_date < fields.Date.context_today(self):
            raise UserError(self.env._("An instalment cannot be before today."))
        if (
            self.down_payment < 0
            or self.currency_id.compare_amounts(self.down_payment, self.amount) >= 0
        ):
            raise UserError(
                self.env._("The down payment must be less than the open amount.")
            )

    def action_propose(self):
        """Create the draft plan with the proposed instalments and open it."""
        self.ensure_one()
        self._check()
        rounding = self.currency_id.rounding
        lines = plan_logic.propose(
            round(self.amount / rounding),
            self.count,
            self.first_date,
            self.period,
            round(self.down_payment / rounding),
            fields.Date.context_today(self),
        )
        plan = self.env["billing.payment.plan"].create(
            {
                "partner_id": self.move_ids.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.currency_id.id,
                "move_ids": [Command.set(self.move_ids.ids)],
                "tolerance_days": self.tolerance_days,
                "line_ids": [
                    Command.create({"date": day, "amount": units * rounding})
                    for day, units in lines
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": plan._name,
            "res_id": plan.id,
            "view_mode": "form",
        }
