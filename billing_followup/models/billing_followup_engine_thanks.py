from collections import Counter
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools import SQL

from ..tools import followup_kinds as kinds

# How long after its reminder a payment still earns a thank-you.
THANKS_WINDOW_DAYS = 60


class BillingFollowupEngineThanks(models.AbstractModel):
    """The thank-you pass: a short note once a cycle's reminded items are
    paid, once per cycle (the event key)."""

    _inherit = "billing.followup.engine"

    @api.model
    def _pass_thanks(self, run):
        """Thank customers whose reminded items of a cycle are now all paid."""
        date, partners = run.date, run.partners
        since = (date or self._today()) - timedelta(days=THANKS_WINDOW_DAYS)
        self.env["account.move.line"].flush_model(["reconciled"])
        self.env["account.move"].flush_model(["payment_state"])
        partner_filter = SQL("")
        if partners is not None:
            ids = tuple(partners.commercial_partner_id.ids) or (0,)
            partner_filter = SQL("AND event.partner_id IN %s", ids)
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (event.partner_id, event.company_id,
                                       event.cycle_date)
                          event.id
                     FROM billing_followup_event event
                     JOIN billing_followup_step step ON step.id = event.step_id
                     JOIN billing_followup_sequence seq ON seq.id = step.sequence_id
                    WHERE event.kind IN %(messages)s AND event.state = %(done)s
                      AND seq.send_thanks AND event.date >= %(since)s
                      AND event.company_id IN %(companies)s %(partner_filter)s
                      AND NOT EXISTS (
                          SELECT 1
                            FROM billing_followup_event_reminded_line_rel rel
                            JOIN account_move_line line
                              ON line.id = rel.account_move_line_id
                            JOIN account_move move ON move.id = line.move_id
                           WHERE rel.billing_followup_event_id = event.id
                             AND (NOT line.reconciled
                                  OR move.payment_state NOT IN ('paid', 'in_payment')))
                      AND NOT EXISTS (
                          SELECT 1 FROM billing_followup_event thanks
                           WHERE thanks.kind = %(thanks)s
                             AND thanks.partner_id = event.partner_id
                             AND thanks.company_id = event.company_id
                             AND thanks.cycle_date = event.cycle_date)
                 ORDER BY event.partner_id, event.company_id, event.cycle_date,
                          step.offset_days DESC""",
                since=since,
                companies=tuple(self.env.companies.ids),
                partner_filter=partner_filter,
                messages=kinds.MESSAGE_KINDS,
                done=kinds.DONE,
                thanks=kinds.THANKS,
            )
        )
        reminders = self.env["billing.followup.event"].sudo().browse(r[0] for r in rows)
        vals_list = [
            {
                "partner_id": event.partner_id.id,
                "company_id": event.company_id.id,
                "date": date or self._today(event.company_id),
                "kind": kinds.THANKS,
                "key": kinds.thanks_key(event.cycle_date),
                "step_id": event.step_id.id,
                "cycle_date": event.cycle_date,
                "line_ids": [Command.set(event.reminded_line_ids.ids)],
                "move_ids": [Command.set(event.reminded_line_ids.move_id.ids)],
                "contact_id": event.contact_id.id,
            }
            for event in reminders
            if not event.contact_id._billing_email_problem_text()
        ]
        thanks = self.env["billing.followup.event"].sudo().create(vals_list)
        self._perform(thanks)
        return Counter({kinds.COUNT_KEYS[kinds.THANKS]: len(thanks)})
