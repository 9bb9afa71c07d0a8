from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import cash_forecast as forecast
from ..tools import payer_profile
from ..tools import payment_plan as plan_logic
from .billing_followup_promise import OPEN
from .res_partner_payer_profile import PAYER_CLASSES

ITEM, PROMISE, INSTALMENT = "item", "promise", "instalment"
SOURCES = [
    (ITEM, "Open Item"),
    (PROMISE, "Promise to Pay"),
    (INSTALMENT, "Plan Instalment"),
]


class BillingCashForecast(models.Model):
    """Expected receipts of the next 13 weeks, one row per amount: open
    receivable items by due date, except those an open promise or a
    running payment plan covers (the promise's date and what is left of
    its amount, the plan's open instalments come instead); each moved and
    weighted by its customer's payer profile as `tools/cash_forecast.py`
    says. Disputed invoices and credits are left out."""

    _name = "billing.cash.forecast"
    _description = "Cash Forecast"
    _auto = False
    _order = "expected_date, partner_id, id"
    # flushed before the view is read
    _depends = {
        "account.move.line": [
            "partner_id",
            "company_id",
            "account_id",
            "parent_state",
            "date_maturity",
            "amount_residual",
            "reconciled",
        ],
        "account.move": [
            "billing_disputed",
            "billing_promise_ids",
            "amount_residual",
            "amount_residual_signed",
        ],
        "billing.followup.promise": [
            "state",
            "date",
            "amount",
            "residual_at_promise",
            "move_ids",
        ],
        "billing.payment.plan": ["state", "move_ids"],
        "billing.payment.plan.line": ["date", "amount", "state"],
        "res.partner": ["billing_payer_class", "billing_avg_days_late"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    payer_class = fields.Selection(PAYER_CLASSES, readonly=True)
    date = fields.Date("Due or Promised On", readonly=True)
    expected_date = fields.Date("Expected On", readonly=True)
    amount = fields.Monetary("Open Amount", readonly=True)
    expected_amount = fields.Monetary(
        "Expected Receipts",
        readonly=True,
        help="The open amount at the share its customer's payer class earns: "
        "at risk 50%, otherwise all of it.",
    )

    @api.model
    def _forecast_today(self):
        return fields.Date.to_date(
            self.env.context.get("billing_forecast_date")
        ) or fields.Date.context_today(self)

    @api.model
    def _sources_sql(self):
        """(id, source, company, customer, invoice, date, amount, moved)."""
        return SQL(
            """
WITH promised AS (
    SELECT rel.account_move_id AS move_id
      FROM account_move_billing_followup_promise_rel rel
      JOIN billing_followup_promise p ON p.id = rel.billing_followup_promise_id
     WHERE p.state = %(open)s
), planned AS (
    SELECT rel.account_move_id AS move_id, plan.id AS plan_id
      FROM billing_payment_plan_move_rel rel
      JOIN billing_payment_plan plan ON plan.id = rel.billing_payment_plan_id
     WHERE plan.state = %(running)s
), plan_open AS (
    SELECT planned.plan_id, SUM(m.amount_residual) AS residual,
           SUM(m.amount_residual_signed) AS residual_company
      FROM planned JOIN account_move m ON m.id = planned.move_id
  GROUP BY planned.plan_id
), instalments AS (
    SELECT line.id, plan.company_id, plan.partner_id, line.date, line.amount,
           SUM(line.amount) OVER (PARTITION BY plan.id ORDER BY line.date, line.id)
               AS through,
           SUM(line.amount) OVER (PARTITION BY plan.id) AS total,
           o.residual, o.residual_company
      FROM billing_payment_plan_line line
      JOIN billing_payment_plan plan ON plan.id = line.plan_id
      JOIN plan_open o ON o.plan_id = plan.id
     WHERE plan.state = %(running)s
)
SELECT l.id * 3 AS id, %(item)s AS source, l.company_id, l.partner_id, l.move_id,
       COALESCE(l.date_maturity, l.date) AS date, l.amount_residual AS amount,
       TRUE AS moved
  FROM account_move_line l
  JOIN account_account a ON a.id = l.account_id
 WHERE a.account_type = %(receivable)s
   AND l.parent_state = %(posted)s
   AND l.amount_residual > 0
   AND l.move_id NOT IN (SELECT id FROM account_move WHERE billing_disputed)
   AND l.move_id NOT IN (SELECT move_id FROM promised)
   AND l.move_id NOT IN (SELECT move_id FROM planned)
UNION ALL
-- what is left of the promise: its amount less what its invoices were
-- paid since, at most what they still owe
SELECT p.id * 3 + 1, %(promise)s, p.company_id, p.partner_id, NULL, p.date,
       GREATEST(0, LEAST(o.residual,
                         p.amount - (p.residual_at_promise - o.residual))),
       FALSE
  FROM billing_followup_promise p
  JOIN LATERAL (
      SELECT SUM(m.amount_residual_signed) AS residual
        FROM account_move_billing_followup_promise_rel rel
        JOIN account_move m ON m.id = rel.account_move_id
       WHERE rel.billing_followup_promise_id = p.id
  ) o ON TRUE
 WHERE p.state = %(open)s
UNION ALL
-- the instalments not yet covered by what was paid on the plan (paid in
-- date order), in company currency at the ratio of the plan's invoices
SELECT i.id * 3 + 2, %(instalment)s, i.company_id, i.partner_id, NULL, i.date,
       GREATEST(0, LEAST(i.amount, i.through - (i.total - i.residual)))
           * i.residual_company / NULLIF(i.residual, 0),
       TRUE
  FROM instalments i
            """,
            open=OPEN,
            running=plan_logic.RUNNING,
            item=ITEM,
            promise=PROMISE,
            instalment=INSTALMENT,
            receivable="asset_receivable",
            posted="posted",
        )

    @property
    def _table_query(self):
        today = self._forecast_today()
        start, end = forecast.horizon(today)
        weights = SQL(" ").join(
            SQL("WHEN %s THEN %s", name, weight)
            for name, weight in forecast.WEIGHTS.items()
        )
        payer_class = SQL(
            "COALESCE(partner.billing_payer_class ->> s.company_id::text, %s)",
            payer_profile.NEW,
        )
        avg_late = SQL(
            "COALESCE((partner.billing_avg_days_late ->> s.company_id::text)::float, 0)"
        )
        expected = SQL(
            """GREATEST(%(today)s::date, s.date + CASE
                   WHEN s.moved AND %(class)s IN %(shifted)s
                   THEN FLOOR(%(late)s + 0.5)::int ELSE 0 END)""",
            today=today,
            shifted=forecast.SHIFTED,
            late=avg_late,
            **{"class": payer_class},
        )
        # the profiled customers read once into a hash (not looked up per
        # row); a customer without a profile is new
        return SQL(
            """
WITH payers AS MATERIALIZED (
    SELECT id, billing_payer_class, billing_avg_days_late FROM res_partner
     WHERE billing_payer_class IS NOT NULL
)
SELECT * FROM (
    SELECT s.id, s.source, s.company_id, company.currency_id, s.partner_id,
           s.move_id, s.date, %(class)s AS payer_class,
           %(expected)s AS expected_date, s.amount,
           s.amount * CASE %(class)s %(weights)s END AS expected_amount
      FROM (%(sources)s) s
      JOIN res_company company ON company.id = s.company_id
      LEFT JOIN payers partner ON partner.id = s.partner_id
     WHERE s.amount > 0
) rows
 WHERE expected_date >= %(start)s AND expected_date < %(end)s
            """,
            expected=expected,
            weights=weights,
            sources=self._sources_sql(),
            start=start,
            end=end,
            **{"class": payer_class},
        )
