from odoo import api, fields, models
from odoo.exceptions import AccessError

# wizard field -> res.partner field
PARTNER_FIELDS = {
    "sequence_id": "billing_followup_sequence_id",
    "invoice_contact_id": "billing_invoice_contact_id",
    "responsible_id": "billing_responsible_id",
    "excluded": "billing_excluded",
    "min_interval_days": "billing_min_interval_days",
    "no_send_weekday_ids": "billing_no_send_weekday_ids",
    "personal_note": "billing_personal_note",
    "statement_day": "billing_statement_day",
    "statement_opt_out": "billing_statement_opt_out",
}


class BillingFollowupPartnerSettings(models.TransientModel):
    """A customer's follow-up settings, for follow-up users who may not edit
    contacts in general (no write right on res.partner)."""

    _name = "billing.followup.partner.settings"
    _description = "Customer Follow-up Settings"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    sequence_id = fields.Many2one("billing.followup.sequence", "Reminder Sequence")
    invoice_contact_id = fields.Many2one(
        "res.partner",
        "Invoicing Contact",
        domain="[('id', 'child_of', partner_id)]",
    )
    responsible_id = fields.Many2one(
        "res.users", "Follow-up Responsible", domain="[('share', '=', False)]"
    )
    excluded = fields.Boolean("Excluded From Follow-up")
    min_interval_days = fields.Integer(
        "Own Minimum Days Between Messages",
        help="0 uses the sequence's minimum, shown below.",
    )
    min_interval_effective = fields.Integer(
        "Sequence's Minimum", related="partner_id.billing_min_interval_effective"
    )
    no_send_weekday_ids = fields.Many2many(
        "billing.followup.weekday", string="Weekdays Without Messages"
    )
    personal_note = fields.Text("Personal note on invoices")
    statement_day = fields.Integer(
        "Monthly Statement Day", help="1-28; 0 uses the reminder sequence's day."
    )
    statement_opt_out = fields.Boolean("No Monthly Statement")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(values.get("partner_id"))
        if partner:
            customer = partner.commercial_partner_id
            values["partner_id"] = customer.id
            for name, source in PARTNER_FIELDS.items():
                if name in fields_list:
                    values[name] = self._fields[name].convert_to_write(
                        customer[source], customer
                    )
        return values

    def action_apply(self):
        """Write the settings, in the current company for the per-company
        ones (sequence, responsible, exclusion, monthly statement)."""
        self.ensure_one()
        if not self.env.user.has_group("billing_followup.billing_followup_group_user"):
            raise AccessError(
                self.env._("Only follow-up users can change a customer's follow-up.")
            )
        customer = self.partner_id.commercial_partner_id
        customer.check_access("read")
        vals = {
            source: self._fields[name].convert_to_write(self[name], self)
            for name, source in PARTNER_FIELDS.items()
        }
        # sudo: follow-up users set these fields without the right to edit contacts
        customer.sudo().write(vals)
        return {"type": "ir.actions.act_window_close"}
