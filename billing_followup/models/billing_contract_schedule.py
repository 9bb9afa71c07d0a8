import logging
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from ..tools import billing_schedule

_logger = logging.getLogger(__name__)

# Fields that make up the billing schedule the client may move once.
SCHEDULE_FIELDS = ("billing_schedule", "billing_day", "billing_weekday")


class BillingContractScheduleMixin(models.AbstractModel):
    """Scheduled invoices of a contract: what is due on a date, billed once
    per period (the ledger's unique constraint), by the morning cron."""

    _name = "billing.contract.schedule.mixin"
    _description = "Contract Billing Schedule"

    draft_invoice_count = fields.Integer(
        "Drafts to Post",
        compute="_compute_draft_invoice_count",
        search="_search_draft_invoice_count",
        help="Scheduled invoices created but left in draft: still to review "
        "and post.",
    )

    @api.depends("period_ids.move_id.state")
    def _compute_draft_invoice_count(self):
        for contract in self:
            contract.draft_invoice_count = len(
                contract.period_ids.move_id.filtered(lambda m: m.state == "draft")
            )

    def _search_draft_invoice_count(self, operator, value):
        """Only "has drafts" (> 0) and "has none" (= 0) are asked for."""
        if operator not in (">", "=") or value != 0:
            return NotImplemented
        has_drafts = Domain("period_ids.move_id.state", "=", "draft")
        return has_drafts if operator == ">" else ~has_drafts

    # CONSTRAINTS

    @api.constrains("billing_day")
    def _check_billing_day(self):
        for contract in self:
            if not 0 <= contract.billing_day <= 31:
                raise ValidationError(
                    self.env._(
                        "The billing day is a day of the month, from 1 to 31 "
                        "(0 to bill on the first day of each period)."
                    )
                )

    @api.constrains("billing_method", "billing_schedule", "amount")
    def _check_schedule(self):
        for contract in self.filtered("is_scheduled"):
            if contract.billing_schedule not in billing_schedule.PERIODIC:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s is billed by period: choose a "
                        "weekly, two-weekly, monthly or quarterly schedule.",
                        contract=contract.name,
                    )
                )
            if contract.amount < 0:
                raise ValidationError(
                    self.env._("The amount per period cannot be negative.")
                )

    def _count_schedule_change(self, vals):
        """The client may move the billing schedule of a signed contract once;
        a second change is refused."""
        for contract in self.filtered(lambda c: c.state == "signed"):
            changed = [
                name
                for name in SCHEDULE_FIELDS
                if name in vals
                and contract._fields[name].convert_to_write(contract[name], contract)
                != (vals[name] or False)
            ]
            if not changed:
                continue
            if contract.schedule_change_count >= 1:
                raise UserError(
                    self.env._(
                        "The billing schedule of contract %(contract)s was "
                        "already moved once. The contract terms allow one "
                        "change of the billing schedule per contract: keep the "
                        "current schedule, or agree new terms with the client "
                        "in a new contract.",
                        contract=contract.name,
                    )
                )
            # sudo: the count is protected from direct writes; this is its rule
            contract.sudo().schedule_change_count = contract.schedule_change_count + 1
            contract.message_post(
                body=self.env._(
                    "The client moved the billing schedule (the one change the "
                    "contract terms allow)."
                )
            )

    # SCHEDULE

    def _billing_day_args(self):
        self.ensure_one()
        return {
            "billing_day": self.billing_day,
            "weekday": int(self.billing_weekday) if self.billing_weekday else None,
        }

    def _next_period_start(self):
        """Day after the last billed period, so periods stay contiguous even
        after the schedule was moved."""
        self.ensure_one()
        ends = self.period_ids.mapped("date_end")
        if not ends:
            return self.date_start
        return max(ends) + timedelta(days=1)

    def _periods(self, until):
        """The unbilled periods whose billing date is on or before `until`."""
        self.ensure_one()
        return billing_schedule.periods(
            self._next_period_start(),
            self.billing_schedule,
            until=until,
            end=self.date_end,
            start_day=self.date_start.day,
            **self._billing_day_args(),
        )

    @api.model
    def _due_domain(self, date):
        return Domain(
            [
                ("state", "=", "signed"),
                ("billing_method", "in", billing_schedule.SCHEDULED_METHODS),
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
            if contract.state == "signed" and contract.is_scheduled:
                invoices |= contract.with_company(
                    contract.company_id
                )._generate_period_invoices(date)
                if contract.invoice_error:
                    contract.invoice_error = False
        return invoices

    def _generate_period_invoices(self, date):
        self.ensure_one()
        invoices = self.env["account.move"]
        for period in self._periods(date):
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
            why = self.env._(
                "Left in draft: it could not be posted automatically. %(why)s",
                why=error.args[0],
            )
            invoice.message_post(body=why)
            partner = self.commercial_partner_id.with_company(self.company_id)
            # the follow-up responsible is a follow-up field; the cron reads it
            responsible = (
                partner.sudo().billing_responsible_id
                or self.company_id.billing_responsible_id
                or self.user_id
            )
            invoice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Scheduled invoice left in draft"),
                note=why,
                user_id=responsible.id or self.env.uid,
            )

    def _prepare_period_invoice(self, period):
        """The invoice of one period, with the approved extra work not
        invoiced yet."""
        partner = self.invoice_contact_id or self.partner_id
        contract = self.with_context(lang=partner.lang or self.env.lang)
        label = contract.env._(
            "%(what)s, period from %(start)s to %(end)s",
            what=self.invoice_label or self.name,
            start=format_date(contract.env, period.start),
            end=format_date(contract.env, period.end),
        )
        lines = [self._prepare_invoice_line_values(label, self.amount)]
        lines += [
            change._prepare_invoice_line_values()
            for change in self.scope_change_ids._to_invoice()
        ]
        return self._prepare_invoice_values(lines, invoice_date=period.billing_date)

    def action_generate_invoices(self):
        invoices = self._generate_invoices()
        if not invoices:
            raise UserError(
                self.env._("Nothing is due: every period up to today is billed.")
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        return action

    # CRON

    @api.model
    def _cron_generate_invoices(self, batch_size=50):
        """Scheduled action: bill every due contract, one savepoint per
        contract, progress committed per batch. Whatever goes wrong with one
        contract stays on it (shown on the contract, its responsible told)
        and the others are billed."""
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
                except Exception as error:
                    _logger.exception("Scheduled invoices of %s failed", contract)
                    skipped.append(contract.id)
                    contract._report_invoice_error(error)
            remaining = self.search_count(domain & Domain("id", "not in", skipped))
            if (
                self.env["ir.cron"]._commit_progress(len(locked), remaining=remaining)
                <= 0
            ):
                break

    def _report_invoice_error(self, error):
        """Keep the failure on the contract, where "Contracts to bill" shows
        it; tell the responsible once, not at every run that fails again."""
        self.ensure_one()
        if isinstance(error, UserError):
            reason = error.args[0]
        else:
            reason = f"{type(error).__name__}: {error}"
        message = self.env._(
            "The scheduled invoices could not be created: %(reason)s",
            reason=reason,
        )
        first = not self.invoice_error
        self.invoice_error = message
        if not first:
            return
        self.message_post(body=message)
        if self.user_id:
            self.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=self.user_id.id,
                summary=self.env._("Scheduled invoicing failed"),
                note=message,
            )
