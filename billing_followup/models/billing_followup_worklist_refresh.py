import hashlib
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

LOOK_AHEAD_DAYS = 30
# Columns the refresh writes, in the order of its VALUES rows.
REFRESHED_COLUMNS = (
    "partner_id",
    "company_id",
    "overdue_amount",
    "open_amount",
    "open_count",
    "oldest_due_date",
    "days_late",
    "next_step_id",
    "next_date",
    "stage_id",
    "responsible_id",
    "to_review_count",
    "failed_email_count",
    "last_contact_date",
    "refresh_date",
    "valid_until",
    "config_key",
)
# A change committed by a transaction that began this long before a row was
# written may not have been visible to it: such changes rewrite the row again.
CHANGE_MARGIN = timedelta(hours=1)
# (table, customer column, company column or None: every company) of what a
# row reads: a record written since the row was, its customer's row again.
CHANGE_TABLES = (
    ("account_move_line", "partner_id", "company_id"),
    ("account_move", "commercial_partner_id", "company_id"),
    ("billing_followup_event", "partner_id", "company_id"),
    ("billing_followup_promise", "partner_id", "company_id"),
    ("billing_contract", "commercial_partner_id", "company_id"),
    ("res_partner", "commercial_partner_id", None),
)
# Settings every customer's row depends on: a change to any rewrites them all.
SETTINGS_TABLES = (
    "billing_followup_sequence",
    "billing_followup_step",
    "billing_followup_stage",
    "billing_followup_rule",
    "billing_late_fee_policy",
    "res_company",
    "res_currency",
    "ir_default",
    "ir_module_module",
)


class BillingFollowupWorklistRefresh(models.Model):
    """How the run keeps the worklist exact without deciding every customer
    every day: a row is rewritten when one of its inputs changed since it
    was written (`_changes`), when the settings changed (`_config_key`), or
    once its date-driven content may differ (`valid_until`); the rows it
    keeps only grow a day later (days late) in one statement."""

    _inherit = "billing.followup.worklist"

    @api.model
    def _pass_refresh(self, run):
        """Engine pass, after the reminders: rewrite the rows of the run's
        customers that may read otherwise today."""
        engine = self.env["billing.followup.engine"]
        self._refresh_all(
            run.date,
            run.partners,
            run.commit,
            changed_only=True,
            keys=engine._run_candidates(run),
        )
        return {}

    @api.model
    def _refresh_all(
        self, date=None, partners=None, commit=False, changed_only=False, keys=None
    ):
        """Rewrite the rows of every customer with open items in the current
        companies (or among `partners`), batch by batch, and drop the others;
        `changed_only`: only the rows that may read otherwise (the others
        move to the date); `keys`: the candidates, when already read.
        `commit` (scheduled runs) commits each batch.
        Customers another worker holds (SKIP LOCKED) are left to it: waiting
        for its row would block the run."""
        engine = self.env["billing.followup.engine"]
        keys = engine._candidates(partners) if keys is None else keys
        config = self._config_key(date)
        todo = self._stale_keys(keys, date, config, partners) if changed_only else keys
        empty = []

        def refresh(locked):
            empty.extend(self._refresh(locked, date, config))
            return {}

        for batch in engine._batches(todo):
            engine._locked_batch(batch, refresh)
            if commit:
                self.env["ir.cron"]._commit_progress()
        self._move_to_date(date, partners)
        self._prune(set(keys) - set(empty), partners)

    @api.model
    def _refresh(self, keys, date=None, config=None):
        """Rewrite the rows of (partner id, company id) `keys` as of `date`
        (default: each company's today) in a fixed number of queries; returns
        the keys with nothing open (a customer kept by its stage), which get
        no row."""
        engine = self.env["billing.followup.engine"]
        gathered = engine._gather(keys)
        empty = [key for key in keys if not gathered[key][0]]
        keys = [key for key in keys if gathered[key][0]]
        if not keys:
            return empty
        config = config or self._config_key(date)
        Company = self.env["res.company"]
        dates = {key: date or engine._today(Company.browse(key[1])) for key in keys}
        settings = engine._settings(keys, dates)
        residuals = self._company_residuals(gathered)
        counts = self._event_counts(keys)
        people = self._stage_and_responsible(keys)
        contract_dates = self._contract_dates(keys)
        minimums = {}
        rows = []
        for key in keys:
            on = dates[key]
            items, history = gathered[key]
            rules = engine._with_minimums(settings[key][1], key, items, on, minimums)
            summary = self._summary(items, history, rules, on, residuals)
            valid_until = logic.unchanged_until(
                items,
                history,
                rules,
                on,
                LOOK_AHEAD_DAYS,
                next_on=summary[-1],
                extra=contract_dates[key],
            )
            rows.append(
                (
                    *key,
                    *summary,
                    *people[key],
                    *counts.get(key, (0, 0)),
                    history.last_contact,
                    on,
                    valid_until,
                    config,
                )
            )
        self._upsert(rows)
        return empty

    @api.model
    def _company_residuals(self, gathered):
        """{line id: residual in company currency} of the gathered items
        (theirs are in the invoice's currency), in one query."""
        lines = self.env["account.move.line"].browse(
            [item.line_id for items, _history in gathered.values() for item in items]
        )
        lines.fetch(["amount_residual"])
        return {line.id: line.amount_residual for line in lines}

    @api.model
    def _summary(self, items, history, rules, on, residuals):
        """Amounts (company currency), open items, oldest overdue item and
        next action of one customer."""
        overdue = [i for i in items if i.due < on]
        oldest = min((i.due for i in overdue if i.residual > 0), default=None)
        upcoming = logic.look_ahead(items, history, rules, on, LOOK_AHEAD_DAYS, 1)
        next_date, action = upcoming[0] if upcoming else (None, None)
        return (
            sum(residuals[i.line_id] for i in overdue),
            sum(residuals[i.line_id] for i in items),
            sum(i.residual > 0 for i in items),
            oldest,
            (on - oldest).days if oldest else 0,
            action and action.step_id,
            next_date,
        )

    @api.model
    def _contract_dates(self, keys):
        """{key: dates a signed contract with a reminder sequence starts or
        ends on}: the customer's sequence may change those days."""
        partners = self.env["res.partner"].browse(sorted({p for p, _c in keys}))
        contracts = partners.billing_contract_ids.filtered(
            lambda c: c.state == "signed" and c.followup_sequence_id
        )
        dates = defaultdict(list)
        for contract in contracts:
            key = (contract.commercial_partner_id.id, contract.company_id.id)
            dates[key].append(contract.date_start)
            if contract.date_end:
                dates[key].append(contract.date_end + timedelta(days=1))
        return dates

    @api.model
    def _event_counts(self, keys):
        """{key: (steps to review (lines of the review list), failed emails
        not followed by a sent one)}."""
        partner_ids = tuple(sorted({p for p, _c in keys}))
        rows = self.env.execute_query(
            SQL(
                """SELECT event.partner_id, event.company_id,
                          COUNT(DISTINCT (event.step_id, event.cycle_date))
                              FILTER (WHERE event.state = %(review)s),
                          COUNT(*) FILTER (
                              WHERE event.state = %(failed)s
                                AND event.kind = %(email)s
                                AND NOT EXISTS (
                                    SELECT 1 FROM billing_followup_event sent
                                     WHERE sent.partner_id = event.partner_id
                                       AND sent.company_id = event.company_id
                                       AND sent.kind = %(email)s
                                       AND sent.state = %(done)s
                                       AND sent.id > event.id))
                     FROM billing_followup_event event
                    WHERE event.partner_id IN %(partners)s
                      AND event.state IN %(states)s
                 GROUP BY event.partner_id, event.company_id""",
                review=kinds.TO_REVIEW,
                failed=kinds.FAILED,
                done=kinds.DONE,
                email=kinds.EMAIL,
                states=(kinds.TO_REVIEW, kinds.FAILED),
                partners=partner_ids,
            )
        )
        return {(p, c): (review, failed) for p, c, review, failed in rows}

    @api.model
    def _stage_and_responsible(self, keys):
        """{key: (stage id, responsible id)}, one read per company."""
        by_company = defaultdict(list)
        for partner_id, company_id in keys:
            by_company[company_id].append(partner_id)
        result = {}
        for company_id, partner_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            partners = self.env["res.partner"].with_company(company).browse(partner_ids)
            for partner in partners:
                responsible = (
                    partner.billing_responsible_id or company.billing_responsible_id
                )
                result[(partner.id, company_id)] = (
                    partner.billing_stage_id.id or None,
                    responsible.id or None,
                )
        return result

    @api.model
    def _upsert(self, rows):
        columns = SQL(", ").join(SQL.identifier(name) for name in REFRESHED_COLUMNS)
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name in (*REFRESHED_COLUMNS[2:], "write_uid", "write_date")
        )
        stamp = (self.env.uid, self.env.uid, self.env.cr.now(), self.env.cr.now())
        values = SQL(", ").join(SQL("%s", (*row, *stamp)) for row in rows)
        self.env.execute_query(
            SQL(
                """INSERT INTO billing_followup_worklist
                        (%s, create_uid, write_uid, create_date, write_date)
                   VALUES %s
              ON CONFLICT (partner_id, company_id) DO UPDATE SET %s""",
                columns,
                values,
                updates,
            )
        )
        self.invalidate_model()

    # WHAT CHANGED ----------------------------------------------------------

    @api.model
    def _stale_keys(self, keys, date, config, partners=None):
        """The `keys` whose row may read otherwise on `date` (None: each
        company's today): no row yet, written with other settings or for a
        later date, past its `valid_until`, or an input of its customer
        changed since it was written (`_changes`). Three queries."""
        engine = self.env["billing.followup.engine"]
        self.env.flush_all()  # the write dates below are read by SQL
        rows = {
            (partner_id, company_id): rest
            for partner_id, company_id, *rest in self.env.execute_query(
                SQL(
                    """SELECT partner_id, company_id, refresh_date, valid_until,
                              config_key, write_date
                         FROM billing_followup_worklist WHERE %s""",
                    self._scope(partners),
                )
            )
        }
        if not rows:
            return list(keys)
        since = min(written for *_rest, written in rows.values()) - CHANGE_MARGIN
        changed = self._changes(since)
        today = {}
        stale = []
        for key in keys:
            row = rows.get(key)
            if key[1] not in today:
                company = self.env["res.company"].browse(key[1])
                today[key[1]] = date or engine._today(company)
            on = today[key[1]]
            if row is None:
                stale.append(key)
                continue
            refreshed, valid_until, config_key, written = row
            last = max(
                (changed[k] for k in (key, (key[0], None)) if k in changed),
                default=None,
            )
            if (
                config_key != config
                or refreshed > on
                or (valid_until and valid_until <= on)
                or (last and last >= written - CHANGE_MARGIN)
            ):
                stale.append(key)
        return stale

    @api.model
    def _changes(self, since):
        """{(customer id, company id or None): last change} of the records
        the rows read, changed since `since` (their write date), in one
        query; None as company: a change for every company."""
        queries = self._change_queries(since)
        union = SQL(" UNION ALL ").join(SQL("(%s)", query) for query in queries)
        return {
            (partner_id, company_id): last
            for partner_id, company_id, last in self.env.execute_query(
                SQL(
                    """SELECT partner_id, company_id, MAX(changed)
                         FROM (%s) AS changes(partner_id, company_id, changed)
                     GROUP BY partner_id, company_id""",
                    union,
                )
            )
            if partner_id
        }

    @api.model
    def _change_queries(self, since):
        """Queries of (customer id, company id or NULL, write date) of what
        a row reads, changed since `since`: the tables of CHANGE_TABLES,
        online payments (through their invoices) and payment plans (with
        their instalments). A model whose records feed the decision adds
        its query here."""
        simple = [
            SQL(
                "SELECT %s, %s, write_date FROM %s WHERE write_date >= %s",
                SQL.identifier(customer),
                SQL.identifier(company) if company else SQL("NULL::int"),
                SQL.identifier(table),
                since,
            )
            for table, customer, company in CHANGE_TABLES
        ]
        return [
            *simple,
            SQL(
                """SELECT move.commercial_partner_id, move.company_id, tx.write_date
                     FROM payment_transaction tx
                     JOIN account_invoice_transaction_rel rel
                       ON rel.transaction_id = tx.id
                     JOIN account_move move ON move.id = rel.invoice_id
                    WHERE tx.write_date >= %s""",
                since,
            ),
            SQL(
                """SELECT plan.partner_id, plan.company_id,
                          GREATEST(plan.write_date, line.write_date)
                     FROM billing_payment_plan plan
                LEFT JOIN billing_payment_plan_line line ON line.plan_id = plan.id
                    WHERE plan.write_date >= %s OR line.write_date >= %s""",
                since,
                since,
            ),
        ]

    @api.model
    def _config_key(self, date=None):
        """Fingerprint of the settings every row depends on: the number of
        records and last change of each settings table, and the currency
        rates in force on `date` (the minimum amounts are converted)."""
        counts = SQL(" UNION ALL ").join(
            SQL(
                "(SELECT %s, COUNT(*), MAX(write_date) FROM %s)",
                table,
                SQL.identifier(table),
            )
            for table in SETTINGS_TABLES
        )
        rows = self.env.execute_query(
            SQL(
                """%s UNION ALL
                   (SELECT 'res_currency_rate', COUNT(*), MAX(write_date)
                      FROM res_currency_rate WHERE name <= %s)""",
                counts,
                date or fields.Date.today(),
            )
        )
        return hashlib.md5(repr(sorted(rows)).encode()).hexdigest()

    # KEPT ROWS ---------------------------------------------------------------

    @api.model
    def _scope(self, partners=None):
        scope = SQL("company_id IN %s", tuple(self.env.companies.ids))
        if partners is not None:
            ids = tuple(partners.commercial_partner_id.ids) or (0,)
            scope = SQL("%s AND partner_id IN %s", scope, ids)
        return scope

    @api.model
    def _move_to_date(self, date=None, partners=None):
        """The overdue rows kept grow one day later each day (the run's date,
        each company's today); rows another worker holds are its to move."""
        engine = self.env["billing.followup.engine"]
        for company in self.env.companies:
            on = date or engine._today(company)
            self.env.execute_query(
                SQL(
                    """UPDATE billing_followup_worklist
                          SET days_late = %(on)s - oldest_due_date
                        WHERE id IN (
                              SELECT id FROM billing_followup_worklist
                               WHERE %(scope)s AND company_id = %(company)s
                                 AND oldest_due_date IS NOT NULL
                                 AND days_late != %(on)s - oldest_due_date
                                 FOR UPDATE SKIP LOCKED)""",
                    on=on,
                    scope=self._scope(partners),
                    company=company.id,
                )
            )
        self.invalidate_model(["days_late"])

    @api.model
    def _prune(self, keys, partners=None):
        """Delete the rows of customers without open items any more: those
        of the companies (and `partners`) in scope that are not in `keys`.
        The rows to drop are found in Python: an anti-join of the table with
        10,000 kept pairs, planned without statistics inside the run's
        transaction, ran for minutes."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id, partner_id, company_id FROM billing_followup_worklist"
                " WHERE %s",
                self._scope(partners),
            )
        )
        gone = [row_id for row_id, *key in rows if tuple(key) not in keys]
        if not gone:
            return
        self.env.execute_query(
            SQL(
                """DELETE FROM billing_followup_worklist WHERE id IN (
                       SELECT id FROM billing_followup_worklist WHERE id = ANY(%s)
                          FOR UPDATE SKIP LOCKED)""",
                gone,
            )
        )
        self.invalidate_model()


class BillingFollowupEngineWorklist(models.AbstractModel):
    """Adds the worklist refresh to the run's passes."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (90, "billing.followup.worklist", "_pass_refresh"),
        ]
