from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import aging

BUCKET_LABELS = {
    "current": "Current",
    "1_30": "1-30",
    "31_60": "31-60",
    "61_90": "61-90",
    "90_plus": "90+",
}


class BillingAgingReport(models.Model):
    """Aging of receivables: one row per open receivable line as of a date
    (context key `billing_aging_date`, default today), with its bucket, for
    the pivot and graph. Before today, what was open on that date: the line
    minus the reconciliations dated up to then."""

    _name = "billing.aging.report"
    _description = "Receivables Aging"
    _auto = False
    _order = "date_maturity, id"
    # flushed before the view is read
    _depends = {
        "account.move.line": [
            "partner_id",
            "company_id",
            "currency_id",
            "account_id",
            "parent_state",
            "date",
            "date_maturity",
            "balance",
            "amount_currency",
            "amount_residual",
            "amount_residual_currency",
        ],
        "account.move": ["invoice_user_id"],
        "account.partial.reconcile": [
            "debit_move_id",
            "credit_move_id",
            "amount",
            "max_date",
        ],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Currency", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    move_id = fields.Many2one("account.move", "Entry", readonly=True)
    date_maturity = fields.Date("Due Date", readonly=True)
    days_late = fields.Integer("Days Late", readonly=True, aggregator="max")
    bucket = fields.Selection(
        [(name, BUCKET_LABELS[name]) for name in aging.BUCKET_NAMES],
        readonly=True,
    )
    amount_residual = fields.Monetary(
        "Open Amount", currency_field="company_currency_id", readonly=True
    )
    amount_residual_currency = fields.Monetary(
        "Open in Currency", currency_field="currency_id", readonly=True
    )

    @api.model
    def _aging_date(self):
        return fields.Date.to_date(
            self.env.context.get("billing_aging_date")
        ) or fields.Date.context_today(self)

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        """Buckets in their natural order (current first), not alphabetical:
        the pivot and graph show groups in the order read_group returns."""
        if "bucket" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        terms = []
        for part in (order or ",".join(groupby_terms)).split(","):
            term, __, direction = part.strip().partition(" ")
            if term == "bucket":
                desc = direction.strip().upper().startswith("DESC")
                terms.append(
                    SQL(
                        "array_position(%s::text[], %s) %s",
                        list(aging.BUCKET_NAMES),
                        groupby_terms["bucket"],
                        SQL("DESC" if desc else "ASC"),
                    )
                )
            elif order:
                terms.append(super()._read_group_orderby(part, groupby_terms, query))
            else:
                one = {term: groupby_terms[term]}
                terms.append(super()._read_group_orderby("", one, query))
        return SQL(", ").join(terms)

    @api.model
    def _bucket_sql(self, days):
        cases = SQL(" ").join(
            SQL("WHEN %s <= %s THEN %s", days, bound, name)
            for name, bound in aging.BUCKETS
        )
        return SQL("CASE %s ELSE %s END", cases, aging.LAST_BUCKET)

    @api.model
    def _residual_sql(self, on):
        """The line's open amount on `on` (company and line currency)."""
        if on >= fields.Date.context_today(self):
            return SQL("l.amount_residual"), SQL("l.amount_residual_currency")
        paid = SQL(
            """(SELECT COALESCE(SUM(CASE WHEN p.debit_move_id = l.id
                                    THEN p.amount ELSE -p.amount END), 0)
                  FROM account_partial_reconcile p
                 WHERE (p.debit_move_id = l.id OR p.credit_move_id = l.id)
                   AND p.max_date <= %s)""",
            on,
        )
        paid_currency = SQL(
            """(SELECT COALESCE(SUM(CASE WHEN p.debit_move_id = l.id
                                    THEN p.debit_amount_currency
                                    ELSE -p.credit_amount_currency END), 0)
                  FROM account_partial_reconcile p
                 WHERE (p.debit_move_id = l.id OR p.credit_move_id = l.id)
                   AND p.max_date <= %s)""",
            on,
        )
        return (
            SQL("l.balance - %s", paid),
            SQL("l.amount_currency - %s", paid_currency),
        )

    @property
    def _table_query(self):
        on = self._aging_date()
        residual, residual_currency = self._residual_sql(on)
        due = SQL("COALESCE(l.date_maturity, l.date)")
        return SQL(
            """
            SELECT * FROM (
                SELECT l.id, l.partner_id, m.invoice_user_id AS user_id,
                       l.company_id, l.currency_id, l.company_currency_id,
                       l.move_id, %(due)s AS date_maturity,
                       %(on)s - %(due)s AS days_late,
                       %(bucket)s AS bucket,
                       %(residual)s AS amount_residual,
                       %(residual_currency)s AS amount_residual_currency
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN account_move m ON m.id = l.move_id
                 WHERE a.account_type = %(receivable)s
                   AND l.parent_state = %(posted)s
                   AND l.date <= %(on)s
            ) AS lines
             WHERE amount_residual != 0
            """,
            due=due,
            on=on,
            bucket=self._bucket_sql(SQL("(%s - %s)", on, due)),
            residual=residual,
            residual_currency=residual_currency,
            receivable="asset_receivable",
            posted="posted",
        )
