from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import followup_kinds as kinds


class BillingFollowupStepPreview(models.TransientModel):
    """The message a step would send to a chosen customer today, rendered
    in the customer's language, and who would receive it."""

    _name = "billing.followup.step.preview"
    _description = "Preview a Reminder Step"

    step_id = fields.Many2one("billing.followup.step", required=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, domain=[("is_company", "=", True)]
    )
    contact_id = fields.Many2one("res.partner", "Recipient", compute="_compute_preview")
    subject = fields.Char(compute="_compute_preview")
    body = fields.Html(compute="_compute_preview", sanitize=False)

    @api.depends("step_id", "partner_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.update(
                wizard._render()
                if wizard.step_id and wizard.partner_id
                else {"contact_id": False, "subject": False, "body": False}
            )

    def _render(self):
        """Render on a throw-away event listing the customer's open items."""
        partner = self.partner_id.commercial_partner_id
        template = self.step_id.mail_template_id
        if not template:
            raise UserError(self.env._("This step sends no email to preview."))
        engine = self.env["billing.followup.engine"]
        lines = self.env["account.move.line"].search(
            engine._open_line_domain() & fields.Domain("partner_id", "=", partner.id)
        )
        contact = partner._billing_contact()
        with self.env.cr.savepoint() as savepoint:
            # a throw-away event (rolled back) users may not create themselves
            event = (
                self.env["billing.followup.event"]
                .sudo()
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": self.env.company.id,
                        "kind": kinds.EMAIL,
                        "state": kinds.CANCELLED,
                        "date": engine._today(),
                        "contact_id": contact.id,
                        "line_ids": [Command.set(lines.ids)],
                    }
                )
            )
            rendered = template.sudo()._generate_template(
                event.ids, ["subject", "body_html"]
            )[event.id]
            savepoint.close(rollback=True)
        return {
            "contact_id": contact.id,
            "subject": rendered["subject"],
            "body": rendered["body_html"],
        }
