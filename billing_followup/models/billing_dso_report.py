from odoo import api, fields, models
from odoo.tools import SQL

LEVELS = [("company", "Company"), ("customer", "Customer")]


class BillingDsoReport(models.Model):
    """Days sales outstanding at the end of each of the last 12 months, per
    company (level `company`) and per customer (level `customer`): the
    simple method (receivable over the last 3 months' sales, times their
    days) and the countback method (the receivable matched against each
    month's sales, latest first, over 3 months), both in SQL; the same
    arithmetic as `tools/aging.py` (`dso_simple`, `dso_countback`)."""

    _name = "billing.dso.report"
    _description = "Days Sales Outstanding"
    _auto = False
    _order = "month desc, company_id, partner_id"
    _depends = {
        "account.move.line": [
            "partner_id",
            "company_id",
            "account_id",
            "parent_state",
            "date",
            "balance",
        ],
        "account.move": ["move_type"],
    }

    level = fields.Selection(LEVELS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    month = fields.Date(readonly=True)
    sales = fields.Monetary("Sales of the Month", readonly=True)
    receivable = fields.Monetary("Receivable at Month End", readonly=True)
    dso_simple = fields.Float("DSO (Simple)", aggregator="avg", readonly=True)
    dso_countback = fields.Float("DSO (Countback)", aggregator="avg", readonly=True)

    @api.model
    def _dso_end(self):
        return fields.Date.to_date(
            self.env.context.get("billing_dso_date")
        ) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        return SQL(
            """
WITH months AS (
    SELECT m::date AS month,
           (m + INTERVAL '1 month' - INTERVAL '1 day')::date AS month_end,
           EXTRACT(DAY FROM m + INTERVAL '1 month' - INTERVAL '1 day')::int AS days
      FROM generate_series(date_trunc('month', %(end)s::date) - INTERVAL '13 months',
                           date_trunc('month', %(end)s::date), INTERVAL '1 month') m
), lines AS (
    SELECT l.company_id, l.partner_id, l.date, l.balance,
           m.move_type IN %(sales_types)s AS is_sale
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      JOIN account_move m ON m.id = l.move_id
     WHERE a.account_type = %(receivable)s AND l.parent_state = %(posted)s
       AND l.partner_id IS NOT NULL AND l.date <= %(end)s
), keys AS (
    SELECT DISTINCT company_id, partner_id FROM lines
), opening AS (
    SELECT company_id, partner_id, SUM(balance) AS amount FROM lines
     WHERE date < (SELECT MIN(month) FROM months) GROUP BY 1, 2
), moves AS (
    SELECT company_id, partner_id, date_trunc('month', date)::date AS month,
           SUM(balance) AS movement,
           SUM(balance) FILTER (WHERE is_sale) AS sales
      FROM lines WHERE date >= (SELECT MIN(month) FROM months) GROUP BY 1, 2, 3
), customer AS (
    SELECT k.company_id, k.partner_id, ms.month, ms.days,
           COALESCE(mv.sales, 0) AS sales,
           COALESCE(o.amount, 0) + SUM(COALESCE(mv.movement, 0)) OVER (
               PARTITION BY k.company_id, k.partner_id ORDER BY ms.month
           ) AS receivable
      FROM keys k CROSS JOIN months ms
      LEFT JOIN moves mv ON mv.company_id = k.company_id
            AND mv.partner_id = k.partner_id AND mv.month = ms.month
      LEFT JOIN opening o ON o.company_id = k.company_id
            AND o.partner_id = k.partner_id
), company AS (
    SELECT company_id, NULL::int AS partner_id, month, days,
           SUM(sales) AS sales, SUM(receivable) AS receivable
      FROM customer GROUP BY company_id, month, days
), both_levels AS (
    SELECT %(customer_level)s AS level, * FROM customer
    UNION ALL
    SELECT %(company_level)s AS level, * FROM company
), windowed AS (
    SELECT b.*,
           LAG(sales, 1) OVER w AS s1, LAG(sales, 2) OVER w AS s2,
           LAG(days, 1) OVER w AS d1, LAG(days, 2) OVER w AS d2
      FROM both_levels b
    WINDOW w AS (PARTITION BY level, company_id, partner_id ORDER BY month)
)
SELECT ROW_NUMBER() OVER (ORDER BY w.level, w.company_id, w.partner_id, w.month)
           AS id,
       w.level, w.company_id, w.partner_id, c.currency_id, w.month, w.sales,
       w.receivable,
       CASE WHEN w.sales + w.s1 + w.s2 > 0
            THEN ROUND((w.receivable / (w.sales + w.s1 + w.s2)
                        * (w.days + w.d1 + w.d2))::numeric, 1)
            ELSE 0 END AS dso_simple,
       ROUND((CASE
            WHEN w.receivable <= 0 THEN 0
            WHEN w.sales > 0 AND w.receivable <= w.sales
                THEN w.days * w.receivable / w.sales
            WHEN w.s1 > 0 AND w.receivable <= GREATEST(w.sales, 0) + w.s1
                THEN w.days + w.d1 * (w.receivable - GREATEST(w.sales, 0)) / w.s1
            WHEN w.s2 > 0 AND w.receivable
                    <= GREATEST(w.sales, 0) + GREATEST(w.s1, 0) + w.s2
                THEN w.days + w.d1 + w.d2 * (w.receivable - GREATEST(w.sales, 0)
                                            - GREATEST(w.s1, 0)) / w.s2
            ELSE w.days + w.d1 + w.d2 END)::numeric, 1) AS dso_countback
  FROM windowed w
  JOIN res_company c ON c.id = w.company_id
 WHERE w.month > date_trunc('month', %(end)s::date) - INTERVAL '12 months'
            """,
            end=self._dso_end(),
            sales_types=("out_invoice", "out_refund"),
            receivable="asset_receivable",
            posted="posted",
            customer_level="customer",
            company_level="company",
        )
