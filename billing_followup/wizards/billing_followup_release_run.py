from odoo import fields, models


class BillingFollowupReleaseRun(models.TransientModel):
    """Let a follow-up manager, who may not open the settings (an
    administrator's screen), release today's run held by the circuit
    breaker."""

    _name = "billing.followup.release.run"
    _description = "Release a Held Follow-up Run"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    held = fields.Integer("Messages Held", related="company_id.billing_breaker_tripped")

    def action_release(self):
        self.ensure_one()
        self.company_id._billing_check_manager()
        held = self.held
        # sudo: managers confirm the run without the right to edit the company
        self.company_id.sudo().action_billing_confirm_large_run()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Follow-up run released"),
                "message": self.env._(
                    "The %(count)s held messages of %(company)s go out with the "
                    "next run, in a few minutes.",
                    count=held,
                    company=self.company_id.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
