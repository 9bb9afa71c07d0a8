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
      FROM generate_series(%(first)s, date_trunc('month', %(end)s::date),
                           INTERVAL '1 month') m
), lines AS (
    SELECT l.company_id, l.partner_id, l.balance,
           m.move_type IN %(sales_types)s AS is_sale,
           CASE WHEN l.date >= %(first)s
                THEN date_trunc('month', l.date)::date END AS month
      FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
      JOIN account_move m ON m.id = l.move_id
     WHERE a.account_type = %(receivable)s AND l.parent_state = %(posted)s
       AND l.partner_id IS NOT NULL AND l.date <= %(end)s
), flows AS (
    -- one pass over the ledger, summed at both levels (grouping sets): the
    -- movement and sales of each month; month NULL is what came before
    SELECT CASE WHEN GROUPING(partner_id) = 1 THEN %(company_level)s
                ELSE %(customer_level)s END AS level,
           company_id, COALESCE(partner_id, 0) AS partner_key, month,
           SUM(balance) AS movement, SUM(balance) FILTER (WHERE is_sale) AS sales
      FROM lines
  GROUP BY GROUPING SETS ((company_id, partner_id, month), (company_id, month))
), keys AS (
    SELECT DISTINCT level, company_id, partner_key FROM flows
), both_levels AS (
    -- a filter on the level (the company trend) reaches here: the
    -- customers' month series are then not built at all
    SELECT k.level, k.company_id, NULLIF(k.partner_key, 0) AS partner_id,
           ms.month, ms.days, COALESCE(mv.sales, 0) AS sales,
           COALESCE(o.movement, 0) + SUM(COALESCE(mv.movement, 0)) OVER (
               PARTITION BY k.level, k.company_id, k.partner_key ORDER BY ms.month
           ) AS receivable
      FROM keys k CROSS JOIN months ms
      LEFT JOIN flows mv ON mv.level = k.level AND mv.company_id = k.company_id
            AND mv.partner_key = k.partner_key AND mv.month = ms.month
      LEFT JOIN flows o ON o.level = k.level AND o.company_id = k.company_id
            AND o.partner_key = k.partner_key AND o.month IS NULL
), windowed AS (
    SELECT b.*,
           LAG(sales, 1) OVER w AS s1, LAG(sales, 2) OVER w AS s2,
           LAG(days, 1) OVER w AS d1, LAG(days, 2) OVER w AS d2
      FROM both_levels b
    WINDOW w AS (PARTITION BY level, company_id, partner_id ORDER BY month)
)
SELECT ROW_NUMBER() OVER (
           PARTITION BY w.level ORDER BY w.company_id, w.partner_id, w.month
       ) * 2 + (w.level = %(company_level)s)::int AS id,
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
            first=SQL(
                "(date_trunc('month', %s::date) - INTERVAL '13 months')::date",
                self._dso_end(),
            ),
            sales_types=("out_invoice", "out_refund"),
            receivable="asset_receivable",
            posted="posted",
            customer_level="customer",
            company_level="company",
        )
