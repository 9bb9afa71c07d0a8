from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail_comment(self, res_ids):
        """An invoice sent from its chatter with the invoice template is the
        invoice itself, not a reminder: flag the post so that the minimum
        interval between reminders does not count it."""
        invoice_template = self.env.ref(
            "account.email_template_edi_invoice", raise_if_not_found=False
        )
        composer = self
        if self.model == "account.move" and self.template_id == invoice_template:
            composer = self.with_context(billing_invoice_sending=True)
        return super(MailComposeMessage, composer)._action_send_mail_comment(res_ids)
