from odoo import fields, models


class BillingAgingWizard(models.TransientModel):
    """Opens the aging of receivables as it stood on a chosen date."""

    _name = "billing.aging.wizard"
    _description = "Receivables Aging on a Date"

    date = fields.Date(
        "As Of", required=True, default=lambda self: fields.Date.context_today(self)
    )

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_aging_report_action"
        )
        action["context"] = {"billing_aging_date": fields.Date.to_string(self.date)}
        action["display_name"] = self.env._(
            "Aging on %(date)s", date=fields.Date.to_string(self.date)
        )
        return action
