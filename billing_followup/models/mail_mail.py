from odoo import fields, models

from ..tools import followup_failures as failures
from ..tools import followup_kinds as kinds


class MailMail(models.Model):
    _inherit = "mail.mail"

    billing_retry_count = fields.Integer(
        "Follow-up Retries",
        readonly=True,
        copy=False,
        help="Times a reminder went back to the queue because the mail server "
        "could not be reached.",
    )

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

    def _billing_requeue_outages(self):
        """Put back in Odoo's queue, with a growing delay, the failed mails the
        server never took (an outage heals by itself); returns them. Refusals
        (invalid address, bounce, blacklist) and mails that waited longer than
        the retry period are left to the caller, for a person to handle."""
        now = fields.Datetime.now()
        requeued = self.browse()
        for mail in self.filtered(lambda m: m.state == "exception"):
            attempts = mail.billing_retry_count
            if not failures.is_transient(
                mail.failure_type, mail.failure_reason
            ) or failures.gives_up(mail.create_date, now, attempts):
                continue
            mail.write(
                {
                    "state": "outgoing",
                    "scheduled_date": failures.retry_at(now, attempts),
                    "billing_retry_count": attempts + 1,
                }
            )
            requeued |= mail
        if requeued:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger(
                min(requeued.mapped("scheduled_date"))
            )
        return requeued
