from odoo import fields, models

from ..tools import followup_kinds as kinds


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up call marked done is a completed call: logged as a
        contact, so the minimum interval counts it."""
        self._billing_log_done_calls(feedback)
        self._billing_log_handled_replies(feedback)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _billing_log_done_calls(self, feedback):
        call = self.env.ref("mail.mail_activity_data_call")
        calls = self.filtered(lambda a: a.activity_type_id == call)
        # the call log wizard closes the activities of the call it logged
        if not calls or self.env.context.get("billing_call_logged"):
            return
        # sudo: the ledger is read-only to users; the call is logged for them
        Event = self.env["billing.followup.event"].sudo()
        steps = Event.search(
            [("activity_id", "in", calls.ids), ("kind", "=", kinds.ACTIVITY)]
        )
        Event.create(
            [
                {
                    "partner_id": step.partner_id.id,
                    "company_id": step.company_id.id,
                    "date": fields.Date.context_today(self),
                    "kind": kinds.CALL,
                    "contact_id": step.contact_id.id,
                    "move_ids": step.move_ids.ids,
                    "user_id": self.env.uid,
                    "note": feedback or self.env._("Call done"),
                }
                for step in steps
            ]
        )

    def _billing_log_handled_replies(self, feedback):
        """The activity of a client's reply marked done: the reply is
        handled, the automated reminders resume."""
        if self.env.context.get("billing_reply_handled"):
            return
        # sudo: the ledger is read-only to users; the answer is logged for them
        Event = self.env["billing.followup.event"].sudo()
        replies = Event.search(
            [("activity_id", "in", self.ids), ("kind", "=", kinds.REPLY)]
        )
        for partner, company in {(r.partner_id, r.company_id) for r in replies}:
            Event._billing_log_handled(partner, company, feedback)
