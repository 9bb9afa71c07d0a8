from collections import Counter
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

# How long after its reminder a payment still earns a thank-you.
THANKS_WINDOW_DAYS = 60


class BillingFollowupEngineThanks(models.AbstractModel):
    """The thank-you pass: one short note per settlement, once every item
    reminded since the last thank-you is paid."""

    _inherit = "billing.followup.engine"

    @api.model
    def _pass_thanks(self, run):
        """Thank customers whose reminded items, of every cycle not thanked
        yet, are all paid (not merely in payment), on a day and at an hour
        their reminders could go out; one note even if it settles several
        cycles."""
        reminders = self._settled_reminders(run.partners, run.date)
        keys = sorted(reminders)
        thanked = self._thanked_keys(keys)
        Company = self.env["res.company"]
        local = self._local_nows(keys, run.now) if run.date is None else {}
        dates = {key: run.date or local[key].date() for key in keys}
        settings = self._settings(keys, dates)
        vals_by_key = {}
        for key in keys:
            sequence, rules = settings[key]
            events, on = reminders[key], dates[key]
            # iterated, not indexed: an index would drop the shared prefetch
            latest = max(events, key=lambda event: event.id)
            cycle = max(events.mapped("cycle_date"))
            if (
                (run.date is None and not self._in_send_window(sequence, local[key]))
                or not logic.may_thank(rules, on)
                or (key, kinds.thanks_key(cycle)) in thanked
                or latest.contact_id._billing_email_problem_text()
                or not Company.browse(key[1]).email  # no sender: no note yet
            ):
                continue
            lines = events.reminded_line_ids
            vals_by_key[key] = {
                "partner_id": key[0],
                "company_id": key[1],
                "date": on,
                "kind": kinds.THANKS,
                "key": kinds.thanks_key(cycle),
                "step_id": latest.step_id.id,
                "cycle_date": cycle,
                "line_ids": [Command.set(lines.ids)],
                "move_ids": [Command.set(lines.move_id.ids)],
                "contact_id": latest.contact_id.id,
            }
        counts = Counter({kinds.COUNT_KEYS[kinds.THANKS]: 0})
        counts.update(
            self._in_batches(
                run,
                sorted(vals_by_key),
                lambda batch: self._thank([vals_by_key[key] for key in batch]),
                kinds.THANKS,
            )
        )
        return counts

    @api.model
    def _thank(self, vals_list):
        """Record and send thank-you notes, in batch; their count."""
        # sudo: only the engine writes the ledger, whoever started the run
        thanks = self.env["billing.followup.event"].sudo().create(vals_list)
        self._perform(thanks)
        return Counter({kinds.COUNT_KEYS[kinds.THANKS]: len(thanks)})

    @api.model
    def _settled_reminders(self, partners, date):
        """{(partner id, company id): its reminders since its last thank-you}
        for the customers all of whose reminded items since then are paid."""
        since = (date or self._today()) - timedelta(days=THANKS_WINDOW_DAYS)
        self.env["account.move.line"].flush_model(["reconciled"])
        self.env["account.move"].flush_model(["payment_state"])
        self.env["billing.followup.event"].flush_model()
        self.env["billing.followup.sequence"].flush_model(["send_thanks"])
        partner_filter = SQL("")
        if partners is not None:
            ids = tuple(partners.commercial_partner_id.ids) or (0,)
            partner_filter = SQL("AND event.partner_id IN %s", ids)
        rows = self.env.execute_query(
            SQL(
                """SELECT event.partner_id, event.company_id,
                          ARRAY_AGG(DISTINCT event.id),
                          BOOL_AND(line.reconciled AND move.payment_state IN %(paid)s)
                     FROM billing_followup_event event
                     JOIN billing_followup_step step ON step.id = event.step_id
                     JOIN billing_followup_sequence seq ON seq.id = step.sequence_id
                     JOIN billing_followup_event_reminded_line_rel rel
                       ON rel.billing_followup_event_id = event.id
                     JOIN account_move_line line ON line.id = rel.account_move_line_id
                     JOIN account_move move ON move.id = line.move_id
                    WHERE event.kind IN %(messages)s AND event.state = %(done)s
                      AND seq.send_thanks AND event.date >= %(since)s
                      AND event.company_id IN %(companies)s %(partner_filter)s
                      AND NOT EXISTS (
                          SELECT 1 FROM billing_followup_event thanks
                           WHERE thanks.kind = %(thanks)s
                             AND thanks.state = %(done)s
                             AND thanks.partner_id = event.partner_id
                             AND thanks.company_id = event.company_id
                             AND thanks.id > event.id)
                 GROUP BY event.partner_id, event.company_id""",
                # `in_payment`: the payment may still fail, no thank-you yet;
                # `partial`: the reminded instalment itself is paid
                paid=("paid", "partial"),
                since=since,
                companies=tuple(self.env.companies.ids),
                partner_filter=partner_filter,
                messages=kinds.MESSAGE_KINDS,
                done=kinds.DONE,
                thanks=kinds.THANKS,
            )
        )
        settled = [row for row in rows if row[3]]
        # one prefetch for every customer's events: their fields, contacts
        # and items are read once for the run, not customer by customer
        Event = self.env["billing.followup.event"].sudo()
        every = sorted(id_ for _p, _c, event_ids, _s in settled for id_ in event_ids)
        return {
            (partner_id, company_id): Event.browse(sorted(event_ids)).with_prefetch(
                every
            )
            for partner_id, company_id, event_ids, _settled in settled
        }

    @api.model
    def _thanked_keys(self, keys):
        """{((partner id, company id), key)} of the thank-you notes already
        recorded for the customers of `keys`."""
        if not keys:
            return set()
        # sudo: notes of every company count, also those the user cannot read
        events = (
            self.env["billing.followup.event"]
            .sudo()
            .search_fetch(
                [
                    ("kind", "=", kinds.THANKS),
                    ("partner_id", "in", [p for p, _c in keys]),
                ],
                ["partner_id", "company_id", "key"],
            )
        )
        return {((e.partner_id.id, e.company_id.id), e.key) for e in events}
