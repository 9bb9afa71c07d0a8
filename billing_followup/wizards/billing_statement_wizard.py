from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.billing_statement_report import last_month

REPORTS = {
    "outstanding": "billing_followup.action_report_statement_outstanding",
    "activity": "billing_followup.action_report_statement_activity",
}


class BillingStatementWizard(models.TransientModel):
    """Prints a statement of the chosen customers (one PDF, a page block
    each) for a date or a period other than the Print menu's default."""

    _name = "billing.statement.wizard"
    _description = "Print Customer Statements"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    kind = fields.Selection(
        [
            ("outstanding", "Open items on a date"),
            ("activity", "Activity over a period"),
        ],
        "Statement",
        required=True,
        default="activity",
    )
    date = fields.Date(
        "Open Items On", default=lambda self: fields.Date.context_today(self)
    )
    date_from = fields.Date(
        "From", default=lambda self: last_month(fields.Date.context_today(self))[0]
    )
    date_to = fields.Date(
        "To", default=lambda self: last_month(fields.Date.context_today(self))[1]
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values.setdefault("partner_ids", self.env.context.get("active_ids", []))
        return values

    def action_print(self):
        self.ensure_one()
        if self.kind == "activity" and not (
            self.date_from and self.date_to and self.date_from <= self.date_to
        ):
            raise UserError(
                self.env._("Choose a period whose start is on or before its end.")
            )
        if self.kind == "activity":
            data = {"date_from": self.date_from, "date_to": self.date_to}
        else:
            data = {"date": self.date or fields.Date.context_today(self)}
        data = {key: fields.Date.to_string(value) for key, value in data.items()}
        data["company_id"] = self.env.company.id
        return self.env.ref(REPORTS[self.kind]).report_action(
            self.partner_ids, data=data
        )
