import logging
from collections import Counter, defaultdict

import pytz
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class BillingFollowupEngine(models.AbstractModel):
    """Decides and performs the follow-up of customers' open items.

    Planning reads everything a batch of customers needs in a fixed number of
    queries and asks the plain-Python `tools.followup_decision.decide`; acting locks the
    customers (SKIP LOCKED), re-plans them and records events whose unique
    index makes every (customer, step, cycle) happen once.
    """

    _name = "billing.followup.engine"
    _description = "Billing Follow-up Engine"

    # Planning --------------------------------------------------------------

    @api.model
    def _today(self, company=None):
        company = company or self.env.company
        tz = company.partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _open_line_domain(self):
        return Domain(
            [
                ("company_id", "in", self.env.companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("no_followup", "=", False),
                ("amount_residual", "!=", 0),
            ]
        )

    @api.model
    def _candidates(self, partners=None):
        """Sorted (partner id, company id) pairs that have open items."""
        domain = self._open_line_domain()
        if partners is not None:
            domain &= Domain(
                "partner_id", "in", partners.commercial_partner_id.ids or [0]
            )
        groups = self.env["account.move.line"]._read_group(
            domain, ["partner_id", "company_id"]
        )
        return sorted({(p.id, c.id) for p, c in groups if p})

    @api.model
    def _gather(self, keys):
        """{key: (items, history)} for (partner id, company id) keys."""
        partner_ids = sorted({p for p, _c in keys})
        lines = self.env["account.move.line"].search_fetch(
            self._open_line_domain() & Domain("partner_id", "in", partner_ids),
            [
                "partner_id",
                "company_id",
                "move_id",
                "date",
                "date_maturity",
                "amount_residual",
            ],
        )
        moves = lines.move_id
        moves.fetch(["payment_state", "billing_disputed"])
        paying = self._moves_with_pending_transaction(moves)
        history = self._history(keys, lines)
        items = defaultdict(list)
        for line in lines:
            move = line.move_id
            items[(line.partner_id.id, line.company_id.id)].append(
                logic.Item(
                    line.id,
                    line.date_maturity or line.date,
                    line.amount_residual,
                    in_flight=move.payment_state == "in_payment" or move.id in paying,
                    disputed=move.billing_disputed,
                )
            )
        return {key: (items.get(key, []), history[key]) for key in keys}

    @api.model
    def _moves_with_pending_transaction(self, moves):
        """Ids of invoices with an online payment still being processed."""
        if not moves:
            return set()
        transactions = (
            self.env["payment.transaction"]
            .sudo()
            .search_fetch(
                [
                    ("invoice_ids", "in", moves.ids),
                    ("state", "in", ("pending", "authorized")),
                ],
                ["invoice_ids"],
            )
        )
        return set(transactions.invoice_ids.ids)

    @api.model
    def _history(self, keys, lines):
        """{key: logic.History} from the events, in three queries."""
        partner_ids = tuple(sorted({p for p, _c in keys})) or (0,)
        had = {}
        if lines:
            for line_id, offset in self.env.execute_query(
                SQL(
                    """SELECT rel.account_move_line_id, MAX(step.offset_days)
                         FROM billing_followup_event_reminded_line_rel rel
                         JOIN billing_followup_event event
                           ON event.id = rel.billing_followup_event_id
                         JOIN billing_followup_step step ON step.id = event.step_id
                        WHERE rel.account_move_line_id IN %s
                     GROUP BY rel.account_move_line_id""",
                    tuple(lines.ids),
                )
            ):
                had[line_id] = offset
        acted = defaultdict(set)
        for partner_id, company_id, step_id, cycle in self.env.execute_query(
            SQL(
                """SELECT DISTINCT partner_id, company_id, step_id, cycle_date
                     FROM billing_followup_event
                    WHERE partner_id IN %s AND step_id IS NOT NULL""",
                partner_ids,
            )
        ):
            acted[(partner_id, company_id)].add((step_id, cycle))
        contacted = {}
        for partner_id, company_id, last in self.env.execute_query(
            SQL(
                """SELECT partner_id, company_id, MAX(date)
                     FROM billing_followup_event
                    WHERE partner_id IN %s AND state = %s AND kind IN %s
                 GROUP BY partner_id, company_id""",
                partner_ids,
                kinds.DONE,
                kinds.CONTACT_KINDS,
            )
        ):
            contacted[(partner_id, company_id)] = last
        line_keys = {
            line.id: (line.partner_id.id, line.company_id.id) for line in lines
        }
        had_by_key = defaultdict(dict)
        for line_id, offset in had.items():
            had_by_key[line_keys[line_id]][line_id] = offset
        return {
            key: logic.History(
                had=had_by_key[key],
                keys=frozenset(acted[key]),
                last_contact=contacted.get(key),
            )
            for key in keys
        }

    @api.model
    def _settings(self, keys):
        """{key: (sequence, logic.Settings)} from customers and companies."""
        Partner = self.env["res.partner"]
        result = {}
        by_company = defaultdict(list)
        for partner_id, company_id in keys:
            by_company[company_id].append(partner_id)
        for company_id, partner_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            partners = Partner.with_company(company).browse(partner_ids)
            for partner in partners:
                sequence = (
                    partner._billing_contract_sequence(company)
                    or partner.billing_followup_sequence_id
                    or company.billing_followup_sequence_id
                )
                allowed = set(sequence.send_weekday_ids.mapped("number")) or set(
                    range(7)
                )
                blocked = set(partner.billing_no_send_weekday_ids.mapped("number"))
                result[(partner.id, company_id)] = (
                    sequence,
                    logic.Settings(
                        steps=tuple(
                            logic.Step(s.id, s.offset_days) for s in sequence.step_ids
                        ),
                        min_interval=partner.billing_min_interval_days
                        or sequence.min_interval_days,
                        excluded=partner.billing_excluded or not sequence,
                        blocked_weekdays=frozenset(blocked | (set(range(7)) - allowed)),
                    ),
                )
        return result

    @api.model
    def _local_date(self, partner, company, sequence, now):
        """The customer's local date if `now` is in its send window, else None."""
        tz_name = partner.tz or company.partner_id.tz or "UTC"
        local = pytz.utc.localize(now).astimezone(pytz.timezone(tz_name))
        hour = local.hour + local.minute / 60
        if sequence.send_hour_from <= hour < sequence.send_hour_to:
            return local.date()
        return None

    @api.model
    def _decide(self, keys, date=None, now=None):
        """{key: (date, decision, sequence)}; without `date`, each customer's
        local date, and a Skip("window") outside its send window."""
        gathered = self._gather(keys)
        settings = self._settings(keys)
        Partner = self.env["res.partner"]
        Company = self.env["res.company"]
        decisions = {}
        for key in keys:
            sequence, rules = settings[key]
            items, history = gathered[key]
            on = date
            if on is None:
                on = self._local_date(
                    Partner.browse(key[0]), Company.browse(key[1]), sequence, now
                )
            if on is None:
                decisions[key] = (None, logic.Skip(logic.SKIP_WINDOW), sequence)
                continue
            decisions[key] = (on, logic.decide(items, history, rules, on), sequence)
        return decisions

    @api.model
    def _plan(self, date=None, partners=None):
        """What is due on `date` (default: today in the company's time zone),
        per (customer, company), without side effect: {(partner, company):
        (date, decision, sequence)}, decision an Action or a Skip."""
        date = fields.Date.to_date(date) or self._today()
        keys = self._candidates(partners)
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        plan = {}
        for batch in _split(keys, BATCH_SIZE):
            for (p, c), decision in self._decide(batch, date=date).items():
                plan[(Partner.browse(p), Company.browse(c))] = decision
        return plan

    # Running ---------------------------------------------------------------

    @api.model
    def _run(self, date=None, partners=None):
        """Act on what is due on `date` as of that whole day (no send window;
        without date, the scheduled behaviour: each customer's send window);
        returns a dict of counts."""
        return self._run_batches(fields.Date.to_date(date), partners, commit=False)

    @api.model
    def _cron_run(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )._run_batches(None, None, commit=True)

    @api.model
    def _run_batches(self, date, partners, commit):
        counts = Counter()
        self._recover_failed_mails()
        now = fields.Datetime.now()
        keys = self._candidates(partners)
        counts["customers"] = len(keys)
        due = []
        for batch in _split(keys, BATCH_SIZE):
            for key, (_on, decision, _seq) in self._decide(batch, date, now).items():
                if isinstance(decision, logic.Action):
                    due.append(key)
                else:
                    counts[kinds.skipped_key(decision.reason)] += 1
        if self._breaker_trips(len(due), date):
            counts["held_by_breaker"] = len(due)
            return dict(counts)
        counts[kinds.COUNT_KEYS[kinds.THANKS]] += self._send_thanks(partners, date)
        for batch in _split(due, BATCH_SIZE):
            counts.update(self._run_batch(batch, date, now))
            if commit:
                self.env["ir.cron"]._commit_progress(len(batch))
        return dict(counts)

    @api.model
    def _run_batch(self, keys, date, now):
        """Lock, re-plan and act on one batch; a conflict with a concurrent
        run (unique index) falls back to one savepoint per customer."""
        partners = self.env["res.partner"].browse(sorted({p for p, _c in keys}))
        locked = set(partners.try_lock_for_update(allow_referencing=True).ids)
        counts = Counter(
            {
                kinds.skipped_key(logic.SKIP_LOCKED): sum(
                    p not in locked for p, _c in keys
                )
            }
        )
        keys = [key for key in keys if key[0] in locked]
        try:
            with self.env.cr.savepoint():
                counts.update(self._act(self._decide(keys, date, now)))
            return counts
        except IntegrityError:
            _logger.info("Follow-up: concurrent run detected, acting one by one")
        for key in keys:
            try:
                with self.env.cr.savepoint():
                    counts.update(self._act(self._decide([key], date, now)))
            except IntegrityError:
                counts[kinds.skipped_key(logic.SKIP_CONFLICT)] += 1
        return counts


def _split(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BillingFollowupEngineLookAhead(models.AbstractModel):
    """Day-by-day forecast from the same decision code as the run."""

    _inherit = "billing.followup.engine"

    @api.model
    def _look_ahead(self, start=None, days=30, partners=None):
        """[(partner, company, date, action, sequence)] the runs from `start`
        would take over `days` days, if nothing is paid meanwhile."""
        start = fields.Date.to_date(start) or self._today()
        keys = self._candidates(partners)
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        forecast = []
        for batch in _split(keys, BATCH_SIZE):
            gathered = self._gather(batch)
            settings = self._settings(batch)
            for key in batch:
                sequence, rules = settings[key]
                items, history = gathered[key]
                for on, action in logic.look_ahead(items, history, rules, start, days):
                    forecast.append(
                        (
                            Partner.browse(key[0]),
                            Company.browse(key[1]),
                            on,
                            action,
                            sequence,
                        )
                    )
        return forecast
