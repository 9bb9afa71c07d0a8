import logging

from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from ..tools import billing_schedule
from .billing_contract import SCHEDULED_METHODS

_logger = logging.getLogger(__name__)


class BillingContract(models.Model):
    """Scheduled invoices of a contract: what is due on a date, billed once
    per period (the ledger's unique constraint), by the morning cron."""

    _inherit = "billing.contract"

    @api.model
    def _due_domain(self, date):
        return Domain(
            [
                ("state", "=", "signed"),
                ("billing_method", "in", SCHEDULED_METHODS),
                ("next_billing_date", "<=", date),
                ("company_id", "in", self.env.companies.ids),
            ]
        )

    def _generate_invoices(self, date=None):
        """Create the invoices the schedule says are due on `date` (today by
        default), catching up missed periods, never twice for one period.
        Without records, works on every contract due in the allowed
        companies. Returns the new invoices."""
        date = date or fields.Date.context_today(self)
        contracts = self or self.search(self._due_domain(date))
        invoices = self.env["account.move"]
        for contract in contracts:
            if (
                contract.state == "signed"
                and contract.billing_method in SCHEDULED_METHODS
            ):
                invoices |= contract.with_company(
                    contract.company_id
                )._generate_period_invoices(date)
        return invoices

    def _generate_period_invoices(self, date):
        self.ensure_one()
        invoices = self.env["account.move"]
        due = billing_schedule.periods(
            self._next_period_start(),
            self.billing_schedule,
            until=date,
            end=self.date_end,
            **self._billing_day_args(),
        )
        for period in due:
            record = self._claim_period(period)
            if not record:
                continue
            invoice = self.env["account.move"].create(
                self._prepare_period_invoice(period)
            )
            # the ledger is bookkeeping of the schedule, not a user edit
            record.sudo().move_id = invoice
            if self.invoice_state == "posted":
                self._post_scheduled(invoice)
            invoices |= invoice
        return invoices

    def _claim_period(self, period):
        """Insert the period in the ledger; the unique constraint makes a
        concurrent or repeated run skip it instead of billing it twice."""
        try:
            with self.env.cr.savepoint():
                # the ledger is written by the schedule only, never by hand
                return (
                    self.env["billing.contract.period"]
                    .sudo()
                    .create(
                        {
                            "contract_id": self.id,
                            "date_start": period.start,
                            "date_end": period.end,
                            "billing_date": period.billing_date,
                        }
                    )
                )
        except UniqueViolation:
            _logger.info("%s: period %s already billed", self.name, period.start)
            return self.env["billing.contract.period"]

    def _post_scheduled(self, invoice):
        """Post a scheduled invoice; if posting is refused, keep the draft and
        say why on it, so the schedule itself never stops."""
        try:
            with self.env.cr.savepoint():
                invoice.action_post()
        except UserError as error:
            invoice.message_post(
                body=self.env._(
                    "Left in draft: it could not be posted automatically. %(why)s",
                    why=error.args[0],
                )
            )

    def _prepare_period_invoice(self, period):
        partner = self.invoice_contact_id or self.partner_id
        contract = self.with_context(lang=partner.lang or self.env.lang)
        label = contract.env._(
            "%(what)s, period from %(start)s to %(end)s",
            what=self.invoice_label or self.name,
            start=format_date(contract.env, period.start),
            end=format_date(contract.env, period.end),
        )
        line = {"name": label, "quantity": 1, "price_unit": self.amount}
        if self.product_id:
            line["product_id"] = self.product_id.id
        lines = [Command.create(line)]
        lines += [
            Command.create(change._prepare_invoice_line())
            for change in self.scope_change_ids._to_invoice()
        ]
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "billing_contract_id": self.id,
            "currency_id": self.currency_id.id,
            "invoice_date": period.billing_date,
            "invoice_payment_term_id": self.payment_term_id.id,
            "invoice_line_ids": lines,
        }

    @api.model
    def _cron_generate_invoices(self, batch_size=50):
        """Scheduled action: bill every due contract, one savepoint per
        contract, progress committed per batch."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([])
        domain = self.with_context(allowed_company_ids=companies.ids)._due_domain(today)
        skipped = []  # failed, or held by another worker: not retried this run
        while True:
            contracts = self.search(
                domain & Domain("id", "not in", skipped), limit=batch_size
            )
            if not contracts:
                break
            # several cron workers share the load: skip what another one bills
            locked = contracts.try_lock_for_update(allow_referencing=True)
            skipped += (contracts - locked).ids
            for contract in locked:
                try:
                    with self.env.cr.savepoint():
                        contract._generate_invoices(today)
                except (UserError, ValidationError):
                    _logger.exception("Scheduled invoices of %s failed", contract)
                    skipped.append(contract.id)
            remaining = self.search_count(domain & Domain("id", "not in", skipped))
            if (
                self.env["ir.cron"]._commit_progress(len(locked), remaining=remaining)
                <= 0
            ):
                break
