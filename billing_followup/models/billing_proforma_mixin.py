from odoo import models


class BillingProformaMixin(models.AbstractModel):
    """Sending a pro-forma by email: shared by the contract and the invoice."""

    _name = "billing.proforma.mixin"
    _description = "Billing Pro-forma Sending"

    def _billing_proforma_composer(self, template_xmlid):
        """The mail composer, prefilled with the pro-forma email template."""
        template = self.env.ref(template_xmlid)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }
