from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    billing_followup_sequence_id = fields.Many2one(
        related="company_id.billing_followup_sequence_id", readonly=False
    )
    billing_responsible_id = fields.Many2one(
        related="company_id.billing_responsible_id", readonly=False
    )
    billing_min_amount = fields.Monetary(
        related="company_id.billing_min_amount", readonly=False
    )
    billing_company_email = fields.Char(related="company_id.email")
    billing_breaker_factor = fields.Float(
        related="company_id.billing_breaker_factor", readonly=False
    )
    billing_breaker_minimum = fields.Integer(
        related="company_id.billing_breaker_minimum", readonly=False
    )
    billing_breaker_tripped = fields.Integer(
        related="company_id.billing_breaker_tripped"
    )

    billing_loyalty_streak = fields.Integer(
        related="company_id.billing_loyalty_streak", readonly=False
    )
    billing_loyalty_percent = fields.Float(
        related="company_id.billing_loyalty_percent", readonly=False
    )
    billing_loyalty_amount = fields.Monetary(
        related="company_id.billing_loyalty_amount", readonly=False
    )
    billing_loyalty_cap = fields.Monetary(
        related="company_id.billing_loyalty_cap", readonly=False
    )
    billing_loyalty_mode = fields.Selection(
        related="company_id.billing_loyalty_mode", readonly=False
    )
    billing_loyalty_account_id = fields.Many2one(
        related="company_id.billing_loyalty_account_id", readonly=False
    )
    billing_loyalty_product_id = fields.Many2one(
        related="company_id.billing_loyalty_product_id", readonly=False
    )

    billing_coexistence = fields.Selection(
        related="company_id.billing_coexistence", readonly=False
    )
    billing_other_followup_modules = fields.Char(
        "Other Follow-up Modules", compute="_compute_billing_other_followup_modules"
    )

    billing_portal_promise_days = fields.Integer(
        related="company_id.billing_portal_promise_days", readonly=False
    )
    billing_portal_daily_limit = fields.Integer(
        related="company_id.billing_portal_daily_limit", readonly=False
    )

    def _compute_billing_other_followup_modules(self):
        names = ", ".join(self.env["res.company"]._billing_other_followup_modules())
        for settings in self:
            settings.billing_other_followup_modules = names

    def action_billing_confirm_large_run(self):
        return self.company_id.action_billing_confirm_large_run()
