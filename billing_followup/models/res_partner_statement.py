from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import statement
from .res_partner import FOLLOWUP_GROUP

RECEIVABLE = "asset_receivable"
POSTED = "posted"


class ResPartner(models.Model):
    """Customer statements: the figures of the outstanding and activity
    statements, read for many customers in one query and built by
    `tools/statement.py`; the monthly statement's settings."""

    _inherit = "res.partner"

    billing_statement_day = fields.Integer(
        "Monthly Statement Day",
        company_dependent=True,
        help="Day of the month (1-28) on which this customer receives its "
        "statement by email; 0 uses its reminder sequence's day.",
        groups=FOLLOWUP_GROUP,
    )
    billing_statement_opt_out = fields.Boolean(
        "No Monthly Statement",
        company_dependent=True,
        help="This customer asked not to receive monthly statements.",
        groups=FOLLOWUP_GROUP,
    )

    @api.constrains("billing_statement_day")
    def _check_billing_statement_day(self):
        for partner in self:
            if not 0 <= partner.billing_statement_day <= 28:
                raise ValidationError(
                    self.env._(
                        "The monthly statement day of %(name)s must be between 1 "
                        "and 28 (0: the reminder sequence's day).",
                        name=partner.display_name,
                    )
                )

    def _billing_outstanding_statements(self, on=None, company=None):
        """{commercial partner id: outstanding statement blocks} on `on`
        (default today) in `company` (default the current one), each block
        with its "currency" record; customers with nothing open map to []."""
        on = fields.Date.to_date(on) or fields.Date.context_today(self)
        company = company or self.env.company
        partners = self.commercial_partner_id
        entries = self._billing_statement_entries(partners, company, on)
        places = self._billing_currency_places(entries)
        return {
            partner.id: self._billing_with_currency(
                statement.outstanding(entries.get(partner.id, []), on, places),
                company,
            )
            for partner in partners
        }

    def _billing_activity_statements(self, date_from, date_to, company=None):
        """{commercial partner id: activity statement blocks} over
        [`date_from`, `date_to`] in `company` (default the current one)."""
        date_from, date_to = map(fields.Date.to_date, (date_from, date_to))
        company = company or self.env.company
        partners = self.commercial_partner_id
        opening, entries = self._billing_activity_entries(
            partners, company, date_from, date_to
        )
        places = self._billing_currency_places(entries, opening)
        return {
            partner.id: self._billing_with_currency(
                statement.activity(
                    opening.get(partner.id, {}), entries.get(partner.id, []), places
                ),
                company,
            )
            for partner in partners
        }

    @api.model
    def _billing_currency_places(self, *by_partner):
        currency_ids = set()
        for mapping in by_partner:
            for values in mapping.values():
                if isinstance(values, dict):
                    currency_ids |= set(values)
                else:
                    currency_ids |= {entry.currency_id for entry in values}
        currencies = self.env["res.currency"].browse(sorted(currency_ids))
        return {currency.id: currency.decimal_places for currency in currencies}

    @api.model
    def _billing_with_currency(self, blocks, company):
        """The blocks with their currency record, the company's first."""
        Currency = self.env["res.currency"]
        blocks = [
            {**block, "currency": Currency.browse(block["currency_id"])}
            for block in blocks
        ]
        return sorted(
            blocks,
            key=lambda b: (b["currency"] != company.currency_id, b["currency"].name),
        )

    # QUERIES -------------------------------------------------------------

    @api.model
    def _billing_entry_columns(self):
        """Columns of a statement entry's journal entry, for `m` (move)."""
        return SQL(
            """m.id, m.move_type,
               (m.origin_payment_id IS NOT NULL OR m.statement_line_id IS NOT NULL),
               EXISTS (SELECT 1 FROM billing_fee_source_rel fee
                        WHERE fee.fee_id = m.id),
               m.name, COALESCE(m.ref, '')"""
        )

    @api.model
    def _billing_receivable_filter(self, partners, company):
        return SQL(
            """a.account_type = %s AND l.parent_state = %s AND l.company_id = %s
               AND p.commercial_partner_id IN %s""",
            RECEIVABLE,
            POSTED,
            company.id,
            tuple(partners.ids) or (0,),
        )

    @api.model
    def _billing_open_sql(self, on):
        """A line's open amount in its currency on `on`: its residual today,
        before today the line minus its reconciliations dated up to `on`."""
        if on >= fields.Date.context_today(self):
            return SQL("l.amount_residual_currency")
        return SQL(
            """l.amount_currency - (
                SELECT COALESCE(SUM(CASE WHEN r.debit_move_id = l.id
                                         THEN r.debit_amount_currency
                                         ELSE -r.credit_amount_currency END), 0)
                  FROM account_partial_reconcile r
                 WHERE (r.debit_move_id = l.id OR r.credit_move_id = l.id)
                   AND r.max_date <= %s)""",
            on,
        )

    @api.model
    def _billing_statement_entries(self, partners, company, on):
        """{commercial partner id: [statement.Entry]}: the receivable lines
        open on `on`, in one query."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT * FROM (
                       SELECT p.commercial_partner_id, %(columns)s,
                              COALESCE(m.invoice_date, l.date),
                              COALESCE(l.date_maturity, l.date),
                              l.currency_id, l.amount_currency, %(open)s AS open,
                              l.id
                         FROM account_move_line l
                         JOIN account_account a ON a.id = l.account_id
                         JOIN account_move m ON m.id = l.move_id
                         JOIN res_partner p ON p.id = l.partner_id
                        WHERE %(filter)s AND l.date <= %(on)s
                   ) AS lines
                  WHERE open != 0""",
                columns=self._billing_entry_columns(),
                open=self._billing_open_sql(on),
                filter=self._billing_receivable_filter(partners, company),
                on=on,
            )
        )
        entries = {}
        for partner_id, move_id, move_type, paid, fee, *rest in rows:
            kind = statement.kind_of(move_type, paid, fee)
            entry = statement.Entry(move_id, kind, *rest)
            entries.setdefault(partner_id, []).append(entry)
        return entries

    @api.model
    def _billing_activity_entries(self, partners, company, date_from, date_to):
        """({partner id: {currency id: balance before `date_from`}},
        {partner id: [statement.Entry]} of the journal entries booked in
        the period, their receivable lines summed), in two queries."""
        self.env.flush_all()
        receivable = self._billing_receivable_filter(partners, company)
        opening = {}
        for partner_id, currency_id, balance in self.env.execute_query(
            SQL(
                """SELECT p.commercial_partner_id, l.currency_id,
                          SUM(l.amount_currency)
                     FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE %s AND l.date < %s
                 GROUP BY 1, 2""",
                receivable,
                date_from,
            )
        ):
            opening.setdefault(partner_id, {})[currency_id] = balance
        entries = {}
        for partner_id, move_id, move_type, paid, fee, *rest in self.env.execute_query(
            SQL(
                """SELECT p.commercial_partner_id, %s, l.date, l.date,
                          l.currency_id, SUM(l.amount_currency)
                     FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id
                     JOIN account_move m ON m.id = l.move_id
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE %s AND l.date BETWEEN %s AND %s
                 GROUP BY p.commercial_partner_id, m.id, l.date, l.currency_id""",
                self._billing_entry_columns(),
                receivable,
                date_from,
                date_to,
            )
        ):
            kind = statement.kind_of(move_type, paid, fee)
            entries.setdefault(partner_id, []).append(
                statement.Entry(move_id, kind, *rest)
            )
        return opening, entries
