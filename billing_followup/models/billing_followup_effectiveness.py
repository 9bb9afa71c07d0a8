from odoo import fields, models
from odoo.tools import SQL

from ..tools import followup_kinds as kinds

# the days after a reminder within which its payments count
WINDOWS = (7, 30)
# measures whose total is a share of the reminded amount, not a sum
SHARES = {"paid_7_share": "paid_7_amount", "paid_30_share": "paid_30_amount"}


class BillingFollowupEffectiveness(models.Model):
    """What the reminders achieve: one row per email or letter sent by a
    reminder step, with the amount it reminded (its items' open amount on
    the morning of the reminder), what was paid on them from that day to 7
    and 30 days after (reconciliation dates), and the client's replies to
    the email. Shares are computed over whatever the pivot groups (the sum
    paid over the sum reminded), not averaged row by row."""

    _name = "billing.followup.effectiveness"
    _description = "Follow-up Effectiveness"
    _auto = False
    _order = "date desc, id desc"
    # flushed before the view is read
    _depends = {
        "billing.followup.event": [
            "kind",
            "state",
            "date",
            "step_id",
            "partner_id",
            "company_id",
            "reminded_line_ids",
            "replied_event_id",
        ],
        "billing.followup.step": ["sequence_id", "mail_template_id"],
        "account.move.line": ["balance"],
        "account.partial.reconcile": ["debit_move_id", "amount", "max_date"],
    }

    date = fields.Date("Sent On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    kind = fields.Selection(
        [(kinds.EMAIL, "Email"), (kinds.LETTER, "Letter")], readonly=True
    )
    step_id = fields.Many2one("billing.followup.step", "Step", readonly=True)
    sequence_id = fields.Many2one(
        "billing.followup.sequence", "Sequence", readonly=True
    )
    template_id = fields.Many2one("mail.template", "Template", readonly=True)
    sent_count = fields.Integer("Sent", readonly=True)
    reminded_amount = fields.Monetary("Reminded", readonly=True)
    paid_7_amount = fields.Monetary("Paid Within 7 Days", readonly=True)
    paid_30_amount = fields.Monetary("Paid Within 30 Days", readonly=True)
    paid_7_share = fields.Float(
        "Paid Within 7 Days (%)",
        readonly=True,
        help="Share of the reminded amount paid from the reminder's day to "
        "7 days after it.",
    )
    paid_30_share = fields.Float(
        "Paid Within 30 Days (%)",
        readonly=True,
        help="Share of the reminded amount paid from the reminder's day to "
        "30 days after it.",
    )
    reply_count = fields.Integer("Replies", readonly=True)

    def _read_group_select(self, aggregate_spec, query):
        """A share's total is the sum paid over the sum reminded."""
        fname, _sep, func = aggregate_spec.partition(":")
        if fname not in SHARES or func != "sum":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "ROUND(100.0 * SUM(%s) / NULLIF(SUM(%s), 0), 1)",
            self._field_to_sql(self._table, SHARES[fname], query),
            self._field_to_sql(self._table, "reminded_amount", query),
        )

    def _replies_sql(self):
        """Client replies to the row's email, as the mail gateway logged
        them (events of kind reply naming the email they answer)."""
        return SQL(
            """(SELECT COUNT(*) FROM billing_followup_event reply
                 WHERE reply.replied_event_id = e.id AND reply.kind = %s)""",
            kinds.REPLY,
        )

    @property
    def _table_query(self):
        windows = {
            f"paid_{days}": SQL(
                """COALESCE(SUM(p.amount) FILTER (
                       WHERE p.max_date BETWEEN e.date AND e.date + %s), 0)""",
                days,
            )
            for days in WINDOWS
        }
        return SQL(
            """
WITH sent AS (
    SELECT e.id, e.date, e.company_id, e.partner_id, e.kind, e.step_id
      FROM billing_followup_event e
     WHERE e.kind IN %(kinds)s AND e.state = %(done)s AND e.step_id IS NOT NULL
), items AS (
    SELECT e.id AS event_id,
           l.balance - COALESCE(SUM(p.amount) FILTER (WHERE p.max_date < e.date), 0)
               AS reminded,
           %(paid_7)s AS paid_7,
           %(paid_30)s AS paid_30
      FROM sent e
      JOIN billing_followup_event_reminded_line_rel rel
        ON rel.billing_followup_event_id = e.id
      JOIN account_move_line l ON l.id = rel.account_move_line_id AND l.balance > 0
 LEFT JOIN account_partial_reconcile p ON p.debit_move_id = l.id
  GROUP BY e.id, l.id, l.balance
), amounts AS (
    SELECT event_id, SUM(reminded) AS reminded, SUM(paid_7) AS paid_7,
           SUM(paid_30) AS paid_30
      FROM items GROUP BY event_id
)
SELECT e.id, e.date, e.company_id, company.currency_id, e.partner_id, e.kind,
       e.step_id, step.sequence_id, step.mail_template_id AS template_id,
       1 AS sent_count,
       COALESCE(a.reminded, 0) AS reminded_amount,
       COALESCE(a.paid_7, 0) AS paid_7_amount,
       COALESCE(a.paid_30, 0) AS paid_30_amount,
       ROUND(100.0 * a.paid_7 / NULLIF(a.reminded, 0), 1) AS paid_7_share,
       ROUND(100.0 * a.paid_30 / NULLIF(a.reminded, 0), 1) AS paid_30_share,
       %(replies)s AS reply_count
  FROM sent e
  JOIN res_company company ON company.id = e.company_id
  JOIN billing_followup_step step ON step.id = e.step_id
  LEFT JOIN amounts a ON a.event_id = e.id
            """,
            kinds=kinds.MESSAGE_KINDS,
            done=kinds.DONE,
            replies=self._replies_sql(),
            **windows,
        )
