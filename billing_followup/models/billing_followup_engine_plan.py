from collections import defaultdict
from dataclasses import replace

import pytz

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds


class BillingFollowupEnginePlan(models.AbstractModel):
    """Planning: what is due for a batch of customers on a date, read in a
    fixed number of queries and decided by the plain-Python
    `tools.followup_decision`; shared by the preview, the look-ahead and the
    run, so what the preview shows is what the run does."""

    _inherit = "billing.followup.engine"

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
        """Sorted (partner id, company id) pairs that have open items or a
        follow-up stage (to clear once nothing is overdue)."""
        domain = self._open_line_domain()
        if partners is not None:
            domain &= Domain(
                "partner_id", "in", partners.commercial_partner_id.ids or [0]
            )
        groups = self.env["account.move.line"]._read_group(
            domain, ["partner_id", "company_id"]
        )
        keys = {(p.id, c.id) for p, c in groups if p}
        return sorted(keys | self._staged_candidates(partners))

    @api.model
    def _staged_candidates(self, partners=None):
        """(partner id, company id) of the customers at a follow-up stage
        above good standing."""
        lowest = self.env["billing.followup.stage"]._lowest()
        domain = Domain("billing_stage_id", "not in", [False, lowest.id])
        if partners is not None:
            domain &= Domain("id", "in", partners.commercial_partner_id.ids or [0])
        keys = set()
        for company in self.env.companies:
            Partner = self.env["res.partner"].with_company(company)
            keys |= {(p.id, company.id) for p in Partner.search_fetch(domain, ["id"])}
        return keys

    @api.model
    def _gather(self, keys):
        """{key: (items, history)} for (partner id, company id) keys. The
        open items and what the decision reads of their invoices come in
        one query as plain values: through the ORM each value of thousands
        of lines costs a field read."""
        partner_ids = sorted({p for p, _c in keys})
        lines = self.env["account.move.line"].search(
            self._open_line_domain() & Domain("partner_id", "in", partner_ids)
        )
        rows = self._open_item_rows(lines.ids)
        moves = self.env["account.move"].browse(dict.fromkeys(row[3] for row in rows))
        paying = self._moves_with_pending_transaction(moves)
        promised = self._moves_promised(moves)
        planned, broken = self._plan_moves(moves)
        history = self._history(keys, {row[0]: (row[1], row[2]) for row in rows})
        items = defaultdict(list)
        for (
            line_id,
            partner_id,
            company_id,
            move_id,
            due,
            residual,
            currency_id,
            rounding,
            payment_state,
            disputed,
            paused_until,
            fee_policy,
            total,
            is_fee,
        ) in rows:
            items[(partner_id, company_id)].append(
                logic.Item(
                    line_id,
                    due,
                    residual,
                    in_flight=payment_state == "in_payment" or move_id in paying,
                    disputed=bool(disputed),
                    paused_until=paused_until,
                    promised_on=promised.get(move_id),
                    planned=move_id in planned,
                    currency=currency_id,
                    rounding=rounding,
                    fee_policy=fee_policy,
                    total=total,
                    is_fee=is_fee,
                    plan_broken_on=broken.get(move_id),
                )
            )
        return {key: (items.get(key, []), history[key]) for key in keys}

    @api.model
    def _moves_with_pending_transaction(self, moves):
        """Ids of invoices with an online payment still being processed."""
        if not moves:
            return set()
        # payment transactions are readable by payment managers only
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
    def _history(self, keys, line_keys):
        """{key: logic.History} from the events, in seven queries, for the
        open lines of `line_keys` ({line id: key}). A reminder
        withdrawn before it left (its key released: see mail.mail and
        `_billing_withdraw`) never happened."""
        withdrawn = f"{kinds.WITHDRAWN}:%"
        partner_ids = tuple(sorted({p for p, _c in keys})) or (0,)
        had = {}
        if line_keys:
            for line_id, offset in self.env.execute_query(
                SQL(
                    """SELECT rel.account_move_line_id, MAX(step.offset_days)
                         FROM billing_followup_event_reminded_line_rel rel
                         JOIN billing_followup_event event
                           ON event.id = rel.billing_followup_event_id
                         JOIN billing_followup_step step ON step.id = event.step_id
                        WHERE rel.account_move_line_id IN %s
                          AND COALESCE(event.key, '') NOT LIKE %s
                     GROUP BY rel.account_move_line_id""",
                    tuple(line_keys),
                    withdrawn,
                )
            ):
                had[line_id] = offset
        acted = defaultdict(dict)
        for partner_id, company_id, step_id, cycle, first in self.env.execute_query(
            SQL(
                """SELECT partner_id, company_id, step_id, cycle_date, MIN(date)
                     FROM billing_followup_event
                    WHERE partner_id IN %s AND step_id IS NOT NULL
                      AND kind != %s AND COALESCE(key, '') NOT LIKE %s
                 GROUP BY partner_id, company_id, step_id, cycle_date""",
                partner_ids,
                kinds.FEE,
                withdrawn,
            )
        ):
            acted[(partner_id, company_id)][(step_id, cycle)] = first
        fee_keys, charged, fee_totals = self._fee_history(partner_ids, line_keys)
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
        messages = defaultdict(set)
        for partner_id, company_id, cycle, offset, on in self.env.execute_query(
            SQL(
                """SELECT event.partner_id, event.company_id, event.cycle_date,
                          step.offset_days, event.date
                     FROM billing_followup_event event
                     JOIN billing_followup_step step ON step.id = event.step_id
                    WHERE event.partner_id IN %s AND event.state = %s
                      AND event.kind IN %s AND event.cycle_date IS NOT NULL""",
                partner_ids,
                kinds.DONE,
                kinds.MESSAGE_KINDS,
            )
        ):
            messages[(partner_id, company_id)].add((cycle, offset, on))
        replied = self.env["billing.followup.event"]._billing_open_replies(partner_ids)
        had_by_key = defaultdict(dict)
        for line_id, offset in had.items():
            had_by_key[line_keys[line_id]][line_id] = offset
        return {
            key: logic.History(
                had=had_by_key[key],
                keys=frozenset(acted[key]),
                last_contact=contacted.get(key),
                dates=acted[key],
                fee_keys=frozenset(fee_keys[key]),
                charged=charged[key],
                messages=frozenset(messages[key]),
                replied_on=replied.get(key),
                fee_totals=fee_totals[key],
            )
            for key in keys
        }

    @api.model
    def _settings(self, keys, date=None):
        """{key: (sequence, logic.Settings)} in force on `date` (a date or
        {key: date}; default: today), from `res.partner._billing_followup_policy`."""
        dates = date if isinstance(date, dict) else dict.fromkeys(keys, date)
        Company = self.env["res.company"]
        # the ladder of each sequence and stage built once for the batch
        Partner = self.env["res.partner"].with_context(billing_policy_steps={})
        # Records iterated from one recordset share its prefetching: the
        # customers' fields are read once for the batch.
        partners = {p.id: p for p in Partner.browse(sorted({p for p, _c in keys}))}
        lowest = self.env["billing.followup.stage"]._lowest()
        result = {}
        for key in keys:
            company = Company.browse(key[1])
            on = dates[key] or self._today(company)
            partner = partners[key[0]]
            policy = partner._billing_followup_policy(company, on)
            stage = partner.with_company(company).billing_stage_id
            staged = bool(stage) and stage != lowest
            result[key] = (policy.sequence, replace(policy.settings, staged=staged))
        return result

    @api.model
    def _local_nows(self, keys, now):
        """{key: `now` in the customer's time zone (else the company's)},
        the customers' zones read in one query."""
        partners = self.env["res.partner"].browse(sorted({p for p, _c in keys}))
        partners = {partner.id: partner for partner in partners}
        Company = self.env["res.company"]
        local = {}
        for partner_id, company_id in keys:
            company = Company.browse(company_id)
            tz_name = partners[partner_id].tz or company.partner_id.tz or "UTC"
            local[(partner_id, company_id)] = pytz.utc.localize(now).astimezone(
                pytz.timezone(tz_name)
            )
        return local

    @api.model
    def _in_send_window(self, sequence, local):
        hour = local.hour + local.minute / 60
        return sequence.send_hour_from <= hour < sequence.send_hour_to

    @api.model
    def _decide(self, keys, date=None, now=None):
        """{key: (date, decision, sequence)}; without `date`, each customer's
        local date, and a Skip("window") outside its send window."""
        gathered = self._gather(keys)
        local = self._local_nows(keys, now) if date is None else {}
        dates = {key: date or local[key].date() for key in keys}
        settings = self._settings(keys, dates)
        minimums = {}
        decisions = {}
        for key in keys:
            sequence, rules = settings[key]
            on = dates[key]
            if date is None and not self._in_send_window(sequence, local[key]):
                decisions[key] = (None, logic.Skip(logic.SKIP_WINDOW), sequence)
                continue
            items, history = gathered[key]
            rules = self._with_minimums(rules, key, items, on, minimums)
            decisions[key] = (on, logic.decide(items, history, rules, on), sequence)
        return decisions

    @api.model
    def _with_minimums(self, rules, key, items, on, cache):
        """`rules` with the company's minimum amount in each currency of
        `items` on `on`, converted once per batch (`cache`)."""
        company = self.env["res.company"].browse(key[1])
        minimums = {}
        for currency_id in {item.currency for item in items}:
            cache_key = (company.id, currency_id, on)
            if cache_key not in cache:
                cache[cache_key] = company.currency_id._convert(
                    company.billing_min_amount,
                    self.env["res.currency"].browse(currency_id),
                    company,
                    on,
                    round=False,
                )
            minimums[currency_id] = cache[cache_key]
        return replace(rules, min_amounts=minimums)

    @api.model
    def _plan(self, date=None, partners=None):
        """What is due on `date` (default: today in the company's time zone),
        per (customer, company), without side effect: {(partner, company):
        (date, decision, sequence)}, decision an Action or a Skip."""
        date = fields.Date.to_date(date) or self._today()
        keys = self._candidates(partners)
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        plan = {}
        for batch in self._batches(keys):
            for (p, c), decision in self._decide(batch, date=date).items():
                plan[(Partner.browse(p), Company.browse(c))] = decision
        return plan

    @api.model
    def _look_ahead(self, start=None, days=30, partners=None):
        """[(partner, company, date, action, sequence)] the runs from `start`
        would take over `days` days, if nothing is paid meanwhile."""
        return [
            (partner, company, on, action, sequence)
            for partner, company, on, action, _fees, sequence in self._forecast(
                start, days, partners, fees=False
            )
            if action
        ]

    @api.model
    def _forecast(self, start=None, days=30, partners=None, fees=True):
        """[(partner, company, date, action or None, [logic.FeeDue],
        sequence)] the runs from `start` would take over `days` days, if
        nothing is paid meanwhile; `fees`: with the late fees they would
        charge (the policies' terms as of `start`)."""
        start = fields.Date.to_date(start) or self._today()
        keys = self._candidates(partners)
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        Policy = self.env["billing.late.fee.policy"]
        forecast, cache = [], {}
        for batch in self._batches(keys):
            gathered = self._gather(batch)
            settings = self._settings(batch, start)
            minimums = {}
            for key in batch:
                sequence, rules = settings[key]
                items, history = gathered[key]
                rules = self._with_minimums(rules, key, items, start, minimums)
                if fees and any(step.fee for step in rules.steps):
                    terms = Policy._fee_terms(items, rules.fee_policy, start, cache)
                    rules = replace(rules, fee_terms=terms)
                partner, company = Partner.browse(key[0]), Company.browse(key[1])
                forecast.extend(
                    (partner, company, on, action, dues, sequence)
                    for on, action, dues in logic.forecast(
                        items, history, rules, start, days
                    )
                )
        return forecast
