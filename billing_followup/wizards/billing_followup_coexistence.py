from odoo import api, fields, models


class BillingFollowupCoexistence(models.TransientModel):
    """Let a follow-up manager, who may not open the settings (an
    administrator's screen), choose which follow-up module reminds the
    customers another installed module also follows up."""

    _name = "billing.followup.coexistence"
    _description = "Choose Between Follow-up Modules"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    other_modules = fields.Char(
        "Other Follow-up Modules", compute="_compute_other_modules"
    )
    coexistence = fields.Selection(
        lambda self: self.env["res.company"]._fields["billing_coexistence"].selection,
        required=True,
        default=lambda self: self.env.company.billing_coexistence,
    )

    @api.depends("company_id")
    def _compute_other_modules(self):
        names = ", ".join(self.env["res.company"]._billing_other_followup_modules())
        for wizard in self:
            wizard.other_modules = names

    def action_apply(self):
        self.ensure_one()
        self.company_id._billing_check_manager()
        # sudo: managers make this choice without the right to edit the company
        self.company_id.sudo().billing_coexistence = self.coexistence
        return {"type": "ir.actions.act_window_close"}
