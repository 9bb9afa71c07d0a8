from textwrap import shorten

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from ..tools import followup_kinds as kinds


class BillingFollowupEventReply(models.Model):
    """A client's reply to a follow-up email. Odoo's mail gateway routes it
    to the customer's chatter (its In-Reply-To names the email's Message-Id);
    it is logged here so the responsible answers and the automated reminders
    wait for them (`History.replied_on`)."""

    _inherit = "billing.followup.event"

    replied_event_id = fields.Many2one(
        "billing.followup.event",
        "In Reply To",
        ondelete="restrict",
        index="btree_not_null",
        help="The follow-up email the client answered.",
    )
    reply_message_id = fields.Many2one(
        "mail.message",
        "Client's Message",
        ondelete="set null",
        help="The reply, as posted in the customer's chatter.",
    )

    @api.model
    def _billing_log_reply(self, message):
        """Log `message` when it is a client's emailed reply to a follow-up
        email (its parent is that email's message), and give the customer's
        responsible an activity to answer it."""
        if message.message_type != "email" or not message.parent_id:
            return self.browse()
        if message.author_id and not message.author_id.partner_share:
            return self.browse()  # an employee answering from a mailbox
        # sudo: the gateway posts as whoever; the ledger is the engine's
        Event = self.sudo()
        replied = Event.search(
            [("mail_id.mail_message_id", "=", message.parent_id.id)], limit=1
        )
        if not replied:
            return self.browse()
        engine = self.env["billing.followup.engine"]
        partner, company = replied.partner_id, replied.company_id
        today = engine._today(company)
        excerpt = shorten(html2plaintext(message.body or ""), 300)
        # sudo: the activity is for the responsible, whoever received the mail
        activity = partner.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._("Client replied to a follow-up email"),
            note=excerpt,
            user_id=engine._responsible(partner, company).id,
        )
        return Event.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "date": today,
                "kind": kinds.REPLY,
                "key": kinds.reply_key(message.id),
                "replied_event_id": replied.id,
                "reply_message_id": message.id,
                "contact_id": message.author_id.id or replied.contact_id.id,
                "activity_id": activity.id,
                "user_id": False,
                "note": message.subject or excerpt,
            }
        )

    @api.model
    def _billing_open_replies_sql(self):
        """(partner_id, company_id, replied_on): per customer, the day of
        its latest reply no accountant answered since (a message or call, a
        pause, a recorded promise, or Handled)."""
        return SQL(
            """SELECT reply.partner_id, reply.company_id, MAX(reply.date) AS replied_on
                 FROM billing_followup_event reply
                WHERE reply.kind = %(reply)s
                  AND NOT EXISTS (
                      SELECT 1 FROM billing_followup_event answer
                       WHERE answer.partner_id = reply.partner_id
                         AND answer.company_id = reply.company_id
                         AND answer.id > reply.id
                         AND (answer.kind IN %(answers)s
                              OR (answer.kind = %(promise)s
                                  AND answer.key LIKE %(recorded)s)))
             GROUP BY reply.partner_id, reply.company_id""",
            reply=kinds.REPLY,
            answers=kinds.ANSWER_KINDS,
            promise=kinds.PROMISE,
            recorded=kinds.PROMISE_RECORDED_LIKE,
        )

    @api.model
    def _billing_open_replies(self, partner_ids):
        """{(partner id, company id): day of the unanswered reply}, in one
        query."""
        rows = self.env.execute_query(
            SQL(
                "SELECT * FROM (%s) replies WHERE partner_id IN %s",
                self._billing_open_replies_sql(),
                tuple(partner_ids) or (0,),
            )
        )
        return {(partner, company): on for partner, company, on in rows}

    @api.model
    def _billing_log_handled(self, partner, company, note=None):
        """Someone answered the customer's reply: the reminders resume."""
        # sudo: users only read the ledger; what they did is written for them
        return self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "date": fields.Date.context_today(self),
                "kind": kinds.REPLY_HANDLED,
                "user_id": self.env.uid,
                "note": note or self.env._("Reply handled"),
            }
        )
