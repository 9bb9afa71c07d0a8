import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timedelta
from typing import Any

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds
from ..tools.followup_failures import is_conflict, is_fatal

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A scheduled run commits after at most this many customers acted on (each
# one a message and its PDFs), and after about COMMIT_SECONDS of work.
COMMIT_EVERY = 50
COMMIT_SECONDS = 20


@dataclass
class FollowupRun:
    """One run as its passes see it: its date (None for a scheduled run:
    each customer's local date, inside its send window), the customers it
    is limited to (None: all), its clock, whether it commits per batch, the
    customers planning found an action due for, how many of those
    actions send a step (what the circuit breaker weighs: clearing a stage
    sends nothing), the items listed by the steps that attach their
    invoices' PDFs and the customers whose steps attach their statement,
    with its date (both rendered before the reminders lock their customers:
    `statement_pdfs`), and its candidates, read once for all passes
    (`_run_candidates`)."""

    date: Date | None
    partners: Any
    now: datetime
    commit: bool
    due: list[tuple[int, int]] = field(default_factory=list)
    out_of_time: bool = False
    steps: int = 0
    attach: set[int] = field(default_factory=set)
    statements: dict = field(default_factory=dict)
    statement_pdfs: dict = field(default_factory=dict)
    candidates: list[tuple[int, int]] | None = None


class BillingFollowupEngine(models.AbstractModel):
    """Decides and performs the follow-up of customers' open items.

    A run plans every customer with open items (`_decide`, in
    billing_followup_engine_plan.py), holds the whole run if the circuit
    breaker trips, then runs its passes in order (`_billing_passes`). The
    engine owns what every pass shares: batches, locks (SKIP LOCKED), one
    savepoint per customer on a conflict, progress commits and the counts;
    events' unique key makes every action happen once.
    """

    _name = "billing.followup.engine"
    _description = "Billing Follow-up Engine"

    @api.model
    def _run(self, date=None, partners=None):
        """Act on what is due on `date` as of that whole day (no send window;
        without date, the scheduled behaviour: each customer's send window);
        returns a dict of counts."""
        return self._run_batches(fields.Date.to_date(date), partners, commit=False)

    @api.model
    def _cron_run(self):
        """Each company in turn; one whose run fails is logged and the others
        go on. A run out of the cron's time re-triggers the scheduled action,
        whose next run finds the work done so far in the ledger."""
        for company in self.env["res.company"].search([]):
            engine = self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )
            try:
                counts = engine._run_batches(None, None, commit=True)
            except Exception as error:
                if is_fatal(error):
                    raise
                self.env.cr.rollback()  # back to the last progress commit
                _logger.exception(
                    "Follow-up of %s failed; the other companies go on",
                    company.name,
                )
                continue
            if counts.get("out_of_time"):
                self._cron()._trigger()
                return

    @api.model
    def _cron(self):
        cron_id = self.env.context.get("cron_id")
        if cron_id:
            return self.env["ir.cron"].browse(cron_id)
        return self.env.ref("billing_followup.ir_cron_billing_followup")

    @api.model
    def _billing_passes(self):
        """The passes of a run as sorted (order, model, method): each is
        called as `env[model].method(run)` with the `FollowupRun` and returns
        its counts. A model adds its pass by extending this list."""
        return [
            (10, "billing.followup.engine", "_pass_thanks"),
            (20, "billing.followup.engine", "_pass_reminders"),
            (30, "billing.late.fee.policy", "_pass_fees"),
        ]

    @api.model
    def _run_batches(self, date, partners, commit):
        run = FollowupRun(date, partners, fields.Datetime.now(), commit)
        counts = self._run_pass(run, self._name, "_pass_recover_mails")
        counts.update(self._plan_run(run))
        if self._breaker_trips(run.steps, date):
            counts["held_by_breaker"] = len(run.due)
            return dict(counts)
        for _order, model, method in sorted(self._billing_passes()):
            counts.update(self._run_pass(run, model, method))
            if run.out_of_time:
                counts["out_of_time"] = 1
                break
        return dict(counts)

    @api.model
    def _run_pass(self, run, model, method):
        """One pass, whose failure outside its customers' own (a query, a
        setting) is logged and leaves the other passes to run. A scheduled
        run rolls back to its last progress commit (no savepoint can span
        the commits); a run in one transaction goes on after a Python error
        (each customer's writes have their savepoint) but not a database
        one, which leaves the transaction unusable."""
        try:
            return getattr(self.env[model], method)(run)
        except Exception as error:
            database = isinstance(error, psycopg2.Error)
            if is_fatal(error) or is_conflict(error) or (database and not run.commit):
                raise
            if run.commit:
                self.env.cr.rollback()
            _logger.exception(
                "Follow-up pass %s of %s failed; the other passes go on",
                method,
                self.env.company.name,
            )
            return Counter(failed_passes=1)

    @api.model
    def _plan_run(self, run):
        """Decide every candidate customer an action may be due for
        (`_may_act`): those with an action go to `run.due`, the others are
        counted by the reason they are skipped (the undecided ones as
        nothing due)."""
        keys = self._run_candidates(run)
        counts = Counter(customers=len(keys))
        acting = self._may_act(keys, run.date)
        if len(acting) < len(keys):
            counts[kinds.skipped_key(logic.SKIP_NOTHING_DUE)] += len(keys) - len(acting)
        Step = self.env["billing.followup.step"]
        for batch in self._batches(acting):
            decisions = self._decide(batch, run.date, run.now)
            for key, (on, decision, _seq) in decisions.items():
                if isinstance(decision, logic.Action):
                    run.due.append(key)
                    run.steps += decision.step_id is not None
                    step = Step.browse(decision.step_id)
                    if step.attach_invoices:
                        run.attach.update(decision.listed)
                    if step.attach_statement and step.send_email:
                        run.statements[key] = on
                else:
                    counts[kinds.skipped_key(decision.reason)] += 1
        return counts

    @api.model
    def _run_candidates(self, run):
        """The customers the run is about (`_candidates`), read once: the
        passes share them (one with nothing left when a pass comes is read
        and skipped by it)."""
        if run.candidates is None:
            run.candidates = self._candidates(run.partners)
        return run.candidates

    @api.model
    def _batches(self, keys):
        for start in range(0, len(keys), BATCH_SIZE):
            yield keys[start : start + BATCH_SIZE]

    @api.model
    def _in_batches(self, run, keys, work, kind=kinds.EMAIL):
        """`work(keys)` batch by batch on the customers of `keys` that are
        not locked by another worker; returns the summed counts. A scheduled
        run commits its progress every few customers (`_commit_chunks`)."""
        if run.commit:
            return self._commit_chunks(run, keys, work, kind)
        counts = Counter()
        for batch in self._batches(keys):
            counts.update(self._locked_batch(batch, work, run, kind))
        return counts

    @api.model
    def _commit_chunks(self, run, keys, work, kind):
        """Act in chunks sized to take about COMMIT_SECONDS (at most
        COMMIT_EVERY customers), committing the progress after each; stop,
        with `run.out_of_time` set, when the time the scheduled action has
        left would not fit the next chunk."""
        counts, done, size = Counter(), 0, COMMIT_EVERY
        # each chunk starts a transaction, whose snapshot is taken by its lock
        self.env["ir.cron"]._commit_progress(remaining=len(keys))
        while done < len(keys):
            chunk = keys[done : done + size]
            started = time.monotonic()
            counts.update(self._locked_batch(chunk, work, run, kind))
            done += len(chunk)
            time_left = self.env["ir.cron"]._commit_progress(
                len(chunk), remaining=len(keys) - done
            )
            per_customer = (time.monotonic() - started) / len(chunk)
            fits = int(COMMIT_SECONDS / max(per_customer, 0.001))
            size = max(1, min(COMMIT_EVERY, fits))
            if done < len(keys) and time_left <= per_customer * size:
                run.out_of_time = True
                counts["left_for_next_run"] += len(keys) - done
                break
        return counts

    @api.model
    def _locked_batch(self, keys, work, run=None, kind=None):
        """Lock the batch's customers (SKIP LOCKED) and do `work` on those
        locked, in one go: the query count of a batch does not grow with its
        customers. If the batch fails, each customer gets a savepoint of its
        own: a conflict with a concurrent run (unique index) skips the
        customer, any other error is recorded on the customer's ledger as a
        failure of `kind` (only logged without a kind or a run)."""
        partners = self.env["res.partner"].browse(sorted({p for p, _c in keys}))
        locked = self._lock(run, partners)
        if locked is None:
            return Counter({kinds.skipped_key(logic.SKIP_CONFLICT): len(keys)})
        skipped = sum(p not in locked for p, _c in keys)
        counts = Counter({kinds.skipped_key(logic.SKIP_LOCKED): skipped})
        keys = [key for key in keys if key[0] in locked]
        try:
            with self.env.cr.savepoint():
                counts.update(work(keys))
            return counts
        except Exception as error:
            if is_fatal(error):
                raise
            _logger.info("Follow-up: a batch failed (%s), acting one by one", error)
        for key in keys:
            try:
                with self.env.cr.savepoint():
                    counts.update(work([key]))
            except Exception as error:
                if is_fatal(error):
                    raise
                if is_conflict(error):
                    counts[kinds.skipped_key(logic.SKIP_CONFLICT)] += 1
                    continue
                counts["failed"] += 1
                if run and kind:
                    self._record_failure(run, key, kind, error)
                else:
                    _logger.warning("Follow-up of %s failed", key, exc_info=error)
        return counts

    @api.model
    def _lock(self, run, partners):
        """Ids of `partners` locked for this transaction, skipping those
        another worker holds; None if one was changed by another worker
        since this transaction's snapshot (repeatable read), which a
        scheduled run first retries from a fresh snapshot."""
        for attempt in (1, 2):
            try:
                with self.env.cr.savepoint():
                    return set(partners.try_lock_for_update(allow_referencing=True).ids)
            except psycopg2.errors.SerializationFailure:
                if not (run and run.commit) or attempt == 2:
                    return None
                self.env.cr.rollback()  # nothing done since the last commit
        return None

    @api.model
    def _breaker_trips(self, planned, date):
        """Hold a run that would send far more than usual until a manager
        confirms it; nothing is recorded, so nothing is lost."""
        company = self.env.company
        today = date or self._today(company)
        if planned <= company.billing_breaker_minimum:
            return False
        if company.billing_breaker_confirmed_date == today:
            return False
        [(average,)] = self.env.execute_query(
            SQL(
                """SELECT COALESCE(COUNT(*)::float / NULLIF(COUNT(DISTINCT date), 0), 0)
                     FROM billing_followup_event
                    WHERE company_id = %s AND kind IN %s
                      AND state = %s AND date >= %s AND date < %s""",
                company.id,
                kinds.MESSAGE_KINDS,
                kinds.DONE,
                today - timedelta(days=30),
                today,
            )
        )
        if planned <= company.billing_breaker_factor * average:
            return False
        if company.billing_breaker_tripped == planned:
            return True  # managers were told at an earlier run today
        # a company setting: the run's user may not write it
        company.sudo().billing_breaker_tripped = planned
        # all_user_ids: also those made managers by an implying group
        # (Accounting's administrators); only those who work in the company
        managers = self.env.ref(
            "billing_followup.billing_followup_group_manager"
        ).all_user_ids.filtered(lambda user: company in user.company_ids)
        # the alert goes on the company's chatter, which the user may not post on
        company.partner_id.sudo().with_context(
            billing_followup_engine=True
        ).message_post(
            body=self.env._(
                "The follow-up run of %(date)s would send %(count)s messages, far "
                "more than usual. Nothing was sent: please check the customers to "
                "follow up and release the run (Follow-up > Release Held Run).",
                date=format_date(self.env, today),
                count=planned,
            ),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True
