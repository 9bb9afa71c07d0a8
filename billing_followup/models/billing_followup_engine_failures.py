import contextlib
import logging
from collections import Counter

from psycopg2 import IntegrityError

from odoo import api, models

from ..tools import followup_failures as failures
from ..tools import followup_kinds as kinds

_logger = logging.getLogger(__name__)


class BillingFollowupEngineFailures(models.AbstractModel):
    """What the engine does when something fails. A customer whose follow-up
    raised gets a failed event and an activity for its responsible, once a
    day (the event key), and is tried again by the next run. An email the
    mail queue could not hand over goes back to the queue while the server
    cannot be reached, and to a person when it was refused."""

    _inherit = "billing.followup.engine"

    @api.model
    def _record_failure(self, run, key, kind, error):
        """Report a customer's failed follow-up on its ledger, in words."""
        partner = self.env["res.partner"].browse(key[0])
        company = self.env["res.company"].browse(key[1])
        date = run.date or self._today(company)
        reason = failures.short_reason(error)
        _logger.warning(
            "Follow-up of %s failed: %s", partner.display_name, reason, exc_info=error
        )
        # sudo: only the engine writes the ledger, whoever started the run
        events = self.env["billing.followup.event"].sudo()
        failure_key = kinds.failure_key(kind, date)
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("key", "=", failure_key),
        ]
        if events.search_count(domain, limit=1):
            return  # reported today already; the responsible knows
        # a concurrent run may report it first (unique key): then it is told
        with contextlib.suppress(IntegrityError), self.env.cr.savepoint():
            self._create_failure(events, partner, company, date, kind, reason)

    @api.model
    def _create_failure(self, events, partner, company, date, kind, reason):
        note = self.env._(
            "Not sent: %(reason)s (the next run will try again)", reason=reason
        )
        event = events.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "date": date,
                "kind": kind,
                "key": kinds.failure_key(kind, date),
                "state": kinds.FAILED,
                "note": note,
            }
        )
        self._failure_activity(event)

    @api.model
    def _failure_activity(self, event):
        # sudo: the activity goes to the responsible, not to the run's user
        event.activity_id = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": event.partner_id.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": self.env._("Follow-up failed"),
                    "note": event.note,
                    "user_id": self._responsible(event.partner_id, event.company_id).id,
                    "date_deadline": event.date,
                }
            )
        )

    @api.model
    def _pass_recover_mails(self, run):
        """Reminders the mail queue could not hand over: back in the queue
        while the server cannot be reached, to a person when refused or
        after the retry period."""
        events = (
            self.env["billing.followup.event"]
            .sudo()  # sudo: the engine updates the ledger of every customer
            .search(
                [
                    ("kind", "=", kinds.EMAIL),
                    ("state", "=", kinds.DONE),
                    ("mail_id.state", "=", "exception"),
                    ("company_id", "in", self.env.companies.ids),
                ],
                limit=1000,
            )
        )
        requeued = events.mail_id._billing_requeue_outages()
        waiting = events.filtered(lambda e: e.mail_id in requeued)
        retrying = self.env._("The mail server could not be reached; it will retry.")
        waiting.filtered(lambda e: e.note != retrying).write({"note": retrying})
        failed = events - waiting
        for event in failed:
            event.write({"state": kinds.FAILED, "note": self._mail_failure_note(event)})
        self._create_activities(failed)
        return Counter(requeued=len(waiting), failed_mails=len(failed))

    @api.model
    def _mail_failure_note(self, event):
        mail = event.mail_id
        if failures.is_transient(mail.failure_type, mail.failure_reason):
            return self.env._(
                "The mail server could not be reached for %(days)s days: the "
                "reminder was not sent.",
                days=failures.RETRY_FOR.days,
            )
        return self.env._(
            "The email could not be delivered: %(reason)s",
            reason=failures.mail_reason(mail.failure_reason)
            or self.env._("no reason given"),
        )
