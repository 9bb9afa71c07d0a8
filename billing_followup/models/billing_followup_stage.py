from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class BillingFollowupStage(models.Model):
    """A rung of the customer's standing; a step may move a customer to it.
    The lowest stage is where a customer with nothing overdue stands."""

    _name = "billing.followup.stage"
    _description = "Follow-up Escalation Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    credit_hold = fields.Boolean(
        help="Customers at this stage get no new work until they pay: their "
        "new invoices cannot be posted without a manager's override."
    )
    needs_approval = fields.Boolean(
        "Needs Approval",
        help="A customer enters this stage only once a follow-up manager "
        "approved it; nothing of the step (emails, letters, credit hold) "
        "happens before.",
    )
    is_last_resort = fields.Boolean(
        "Last Resort",
        help="Collections or legal hand-off: entering it produces a formal "
        "demand letter and stops every automatic reminder to the customer.",
    )
    agency_id = fields.Many2one(
        "res.partner",
        "Agency or Lawyer",
        help="Who the customer is handed over to at this stage.",
    )
    agency_fee_percent = fields.Float(
        "Agency Fee (%)",
        help="Collection fee added to the demand letter's amount, only when a "
        "late fee policy applies to the customer (its contract's, its own or "
        "its sequence's).",
    )
    involve = fields.Selection(
        [
            ("none", "Nobody"),
            ("responsible", "Follow-up Responsible"),
            ("salesperson", "Salesperson"),
            ("manager", "Follow-up Managers"),
        ],
        "Who Is Involved",
        default="none",
        required=True,
        help="Who gets a to-do when a customer enters this stage.",
    )
    fold = fields.Boolean("Folded in Kanban")
    active = fields.Boolean(default=True)

    _agency_fee_percent_range = models.Constraint(
        "CHECK(agency_fee_percent >= 0 AND agency_fee_percent <= 100)",
        "The agency fee is a percentage between 0 and 100.",
    )

    @api.model
    def _lowest(self):
        """The stage of a customer with nothing overdue (good standing)."""
        return self.search([], limit=1)

    @api.constrains("sequence", "credit_hold", "active")
    def _check_lowest_without_hold(self):
        lowest = self._lowest()
        if lowest.credit_hold:
            raise ValidationError(
                self.env._(
                    "%(stage)s is the lowest stage, where customers with nothing "
                    "overdue stand: it cannot put them on credit hold.",
                    stage=lowest.name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_customers_in_it(self):
        """A stage's customers would lose their standing (and their hold)."""
        self.env["res.partner"].flush_model(["billing_stage_id"])
        [(count,)] = self.env.execute_query(
            SQL(
                """SELECT COUNT(*) FROM res_partner partner,
                          jsonb_each_text(partner.billing_stage_id) stage
                    WHERE partner.billing_stage_id IS NOT NULL
                      AND stage.value::int IN %s""",
                tuple(self.ids),
            )
        )
        if count:
            raise UserError(
                self.env._(
                    "%(count)s customers are in %(stages)s: move them to another "
                    "stage, or archive the stage instead.",
                    count=count,
                    stages=", ".join(self.mapped("name")),
                )
            )
