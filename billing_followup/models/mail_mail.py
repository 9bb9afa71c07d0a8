from odoo import models

from ..tools import followup_kinds as kinds


class MailMail(models.Model):
    _inherit = "mail.mail"

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        """A reminder whose items were all paid before it left is cancelled."""
        paid = self._billing_cancel_paid_reminders()
        return super(MailMail, self - paid).send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _billing_cancel_paid_reminders(self):
        # the mail queue is sent by whoever, the ledger stays the engine's
        events = (
            self.env["billing.followup.event"]
            .sudo()
            .search([("mail_id", "in", self.ids), ("kind", "=", kinds.EMAIL)])
        )
        paid = events.filtered(
            lambda e: all(e._billing_settled(line) for line in e.reminded_line_ids)
        )
        if paid:
            paid._billing_withdraw(
                self.env._("Paid before the reminder left: not sent.")
            )
            # mails the sender may not write
            paid.mail_id.sudo().write({"state": "cancel"})
        return paid.mail_id
