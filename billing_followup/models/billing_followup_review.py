from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..tools import followup_kinds as kinds


class BillingFollowupReview(models.Model):
    """The review list: one line per customer and step waiting for review
    (its email, letter, activity and stage together), a SQL view over the
    ledger. Send and Skip act on the line's events through their own
    buttons, so the re-checks of the ledger apply unchanged."""

    _name = "billing.followup.review"
    _description = "Follow-up to Review"
    _inherit = ["billing.followup.mine.mixin"]
    _auto = False
    _order = "date, partner_id, id"
    # flushed before the view is read
    _depends = {
        "billing.followup.event": [
            "state",
            "partner_id",
            "company_id",
            "step_id",
            "cycle_date",
            "date",
            "contact_id",
            "kind",
            "key",
        ],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    step_id = fields.Many2one("billing.followup.step", readonly=True)
    cycle_date = fields.Date(readonly=True)
    date = fields.Date("Planned On", readonly=True)
    contact_id = fields.Many2one("res.partner", "Recipient", readonly=True)
    replied_on = fields.Date(
        "Client Replied",
        readonly=True,
        help="The client replied to a follow-up email on this day and no one "
        "acted since.",
    )
    event_ids = fields.One2many(
        "billing.followup.event", compute="_compute_event_ids", string="Events"
    )
    channels = fields.Char("Actions", compute="_compute_event_ids")
    move_ids = fields.Many2many(
        "account.move", compute="_compute_event_ids", string="Invoices"
    )
    email_subject = fields.Char(compute="_compute_preview")
    email_body = fields.Html(compute="_compute_preview", sanitize=False)
    has_letter = fields.Boolean(compute="_compute_preview")

    @property
    def _table_query(self):
        return SQL(
            """SELECT MIN(event.id) AS id, event.partner_id, event.company_id,
                      event.step_id, event.cycle_date, MIN(event.date) AS date,
                      MIN(event.contact_id) AS contact_id, replies.replied_on
                 FROM billing_followup_event event
            LEFT JOIN (%s) replies
                   ON replies.partner_id = event.partner_id
                  AND replies.company_id = event.company_id
                WHERE event.state = %s AND event.step_id IS NOT NULL
             GROUP BY event.partner_id, event.company_id, event.step_id,
                      event.cycle_date, replies.replied_on""",
            self.env["billing.followup.event"]._billing_open_replies_sql(),
            kinds.TO_REVIEW,
        )

    def _events_domain(self):
        return Domain.OR(
            Domain(
                [
                    ("state", "=", kinds.TO_REVIEW),
                    ("partner_id", "=", line.partner_id.id),
                    ("company_id", "=", line.company_id.id),
                    ("step_id", "=", line.step_id.id),
                    ("cycle_date", "=", line.cycle_date),
                ]
            )
            for line in self
        )

    @api.depends("partner_id", "step_id", "date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(
                part
                for part in (
                    line.partner_id.display_name,
                    line.step_id.name,
                    line.date and format_date(self.env, line.date),
                )
                if part
            )

    @api.depends("partner_id", "step_id", "cycle_date")
    def _compute_event_ids(self):
        events = self.env["billing.followup.event"].search(self._events_domain())
        by_line = events.grouped(
            lambda e: (e.partner_id, e.company_id, e.step_id, e.cycle_date)
        )
        selection = events._fields["kind"]._description_selection(self.env)
        for line in self:
            mine = by_line.get(
                (line.partner_id, line.company_id, line.step_id, line.cycle_date),
                events.browse(),
            )
            line.event_ids = mine
            kinds_of_line = set(mine.mapped("kind"))
            line.channels = ", ".join(
                label for kind, label in selection if kind in kinds_of_line
            )
            line.move_ids = mine.move_ids

    @api.depends("event_ids")
    def _compute_preview(self):
        """The email exactly as Send would produce it: rendered by the same
        template on the line's email event (the letter: Preview Letter)."""
        engine = self.env["billing.followup.engine"]
        for line in self:
            email = line.event_ids.filtered(lambda e: e.kind == kinds.EMAIL)[:1]
            template = email and engine._email_template(email)
            subject = body = False
            if template:
                # the template renders the ledger for its reader, as the run does
                rendered = template.sudo()._generate_template(
                    email.ids, ["subject", "body_html"]
                )[email.id]
                subject, body = rendered["subject"], rendered["body_html"]
            line.email_subject, line.email_body = subject, body
            line.has_letter = kinds.LETTER in line.event_ids.mapped("kind")

    def action_preview_letter(self):
        """The letter's PDF, printed from its event as after sending."""
        self.ensure_one()
        letter = self.event_ids.filtered(lambda e: e.kind == kinds.LETTER)
        if not letter:
            raise UserError(self.env._("This follow-up prints no letter."))
        return letter.action_print_letter()

    def action_send(self):
        """Perform every action of the lines; items paid since are dropped,
        a line with none left is withdrawn (the events' own re-check)."""
        self._billing_events().action_send()
        return True

    def action_reply_handled(self):
        """The client's reply was answered: its customer's reminders resume."""
        for line in self.filtered("replied_on"):
            partner = line.partner_id.with_company(line.company_id)
            partner.action_billing_reply_handled()
        return True

    def action_skip(self):
        self._billing_events().action_skip()
        return True

    def _billing_events(self):
        """The line's events still waiting: another user may have acted."""
        self.invalidate_recordset(["event_ids"])
        events = self.event_ids
        if not events:
            raise UserError(
                self.env._("These follow-ups were already sent or skipped.")
            )
        return events
