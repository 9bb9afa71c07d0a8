from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools import followup_kinds as kinds
from .res_partner import FOLLOWUP_GROUP


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.readonly
    def action_open_document(self):
        """A follow-up call opens the call log, pre-filled with what the
        call is about; marking it done instead still logs the call."""
        step = self._billing_call_event()
        if not step:
            return super().action_open_document()
        return self.env["billing.followup.call"]._open_for(
            step.partner_id,
            company=step.company_id,
            moves=step.move_ids.filtered(lambda m: m.amount_residual > 0),
        )

    def _billing_call_event(self):
        """The follow-up step that planned this call, for a user who logs
        calls, or an empty recordset."""
        self.ensure_one()
        call = self.env.ref("mail.mail_activity_data_call")
        if (
            self.activity_type_id != call
            or self.res_model != "res.partner"
            or not self.env.user.has_group(FOLLOWUP_GROUP)
        ):
            return self.env["billing.followup.event"]
        return self.env["billing.followup.event"].search(
            [("activity_id", "=", self.id), ("kind", "=", kinds.ACTIVITY)],
            order="id desc",
            limit=1,
        )

    @api.model
    def _billing_notes_html(self, notes):
        """The distinct follow-up notes as paragraphs (escaped), or False."""
        notes = list(dict.fromkeys(filter(None, notes)))
        return Markup().join(Markup("<p>%s</p>") % note for note in notes) or False

    def _billing_add_notes(self, notes):
        """Add the notes this activity does not say yet (an activity joined
        by another event of the same day keeps every reason)."""
        self.ensure_one()
        said = html2plaintext(self.note or "")
        extra = self._billing_notes_html(n for n in notes if n and n not in said)
        if extra:
            self.note = (self.note or Markup()) + extra

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
