import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timedelta
from typing import Any

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class FollowupRun:
    """One run as its passes see it: its date (None for a scheduled run:
    each customer's local date, inside its send window), the customers it
    is limited to (None: all), its clock, whether it commits per batch, and
    the customers planning found a reminder due for."""

    date: Date | None
    partners: Any
    now: datetime
    commit: bool
    due: list[tuple[int, int]] = field(default_factory=list)


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
        for company in self.env["res.company"].search([]):
            self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )._run_batches(None, None, commit=True)

    @api.model
    def _billing_passes(self):
        """The passes of a run as sorted (order, model, method): each is
        called as `env[model].method(run)` with the `FollowupRun` and returns
        its counts. A model adds its pass by extending this list."""
        return [
            (10, "billing.followup.engine", "_pass_thanks"),
            (20, "billing.followup.engine", "_pass_reminders"),
        ]

    @api.model
    def _run_batches(self, date, partners, commit):
        run = FollowupRun(date, partners, fields.Datetime.now(), commit)
        self._recover_failed_mails()
        counts = self._plan_run(run)
        if self._breaker_trips(len(run.due), date):
            counts["held_by_breaker"] = len(run.due)
            return dict(counts)
        for _order, model, method in sorted(self._billing_passes()):
            counts.update(getattr(self.env[model], method)(run))
        return dict(counts)

    @api.model
    def _plan_run(self, run):
        """Decide every candidate customer: those with an action go to
        `run.due`, the others are counted by the reason they are skipped."""
        keys = self._candidates(run.partners)
        counts = Counter(customers=len(keys))
        for batch in self._batches(keys):
            decisions = self._decide(batch, run.date, run.now)
            for key, (_on, decision, _seq) in decisions.items():
                if isinstance(decision, logic.Action):
                    run.due.append(key)
                else:
                    counts[kinds.skipped_key(decision.reason)] += 1
        return counts

    @api.model
    def _batches(self, keys):
        for start in range(0, len(keys), BATCH_SIZE):
            yield keys[start : start + BATCH_SIZE]

    @api.model
    def _in_batches(self, run, keys, work):
        """`work(keys)` batch by batch on the customers of `keys` that are
        not locked by another worker, committing progress per batch in a
        scheduled run; returns the summed counts."""
        counts = Counter()
        for batch in self._batches(keys):
            counts.update(self._locked_batch(batch, work))
            if run.commit:
                self.env["ir.cron"]._commit_progress(len(batch))
        return counts

    @api.model
    def _locked_batch(self, keys, work):
        """Lock the batch's customers (SKIP LOCKED) and do `work` on those
        locked; a conflict with a concurrent run (unique index) falls back to
        one savepoint per customer."""
        partners = self.env["res.partner"].browse(sorted({p for p, _c in keys}))
        locked = set(partners.try_lock_for_update(allow_referencing=True).ids)
        skipped = sum(p not in locked for p, _c in keys)
        counts = Counter({kinds.skipped_key(logic.SKIP_LOCKED): skipped})
        keys = [key for key in keys if key[0] in locked]
        try:
            with self.env.cr.savepoint():
                counts.update(work(keys))
            return counts
        except IntegrityError:
            _logger.info("Follow-up: concurrent run detected, acting one by one")
        for key in keys:
            try:
                with self.env.cr.savepoint():
                    counts.update(work([key]))
            except IntegrityError:
                counts[kinds.skipped_key(logic.SKIP_CONFLICT)] += 1
        return counts

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
                date=fields.Date.to_string(today),
                count=planned,
            ),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True
