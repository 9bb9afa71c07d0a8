from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import followup_kinds as kinds

# model: what the card counts; domain(env, today): which of them; action:
# the list it opens; amount: the field summed beside the count, if any.
Card = namedtuple("Card", "model domain action amount")

CARDS = [
    ("to_review", "To Review"),
    ("calls", "Calls to Make Today"),
    ("promises_due", "Promises Due Today"),
    ("promises_broken", "Broken Promises (30 Days)"),
    ("disputes", "Disputes Open"),
    ("approvals", "Stages to Approve"),
    ("credit_hold", "On Credit Hold"),
    ("failed_emails", "Failed Emails"),
    ("next_run", "Next Run"),
]
BROKEN_PROMISE_DAYS = 30


def _worklist(domain, amount="overdue_amount"):
    return Card(
        "billing.followup.worklist",
        domain,
        "billing_followup.billing_followup_worklist_action",
        amount,
    )


class BillingFollowupDashboard(models.Model):
    """The Follow-up dashboard: one row per card and company, counting what
    needs a person today for the user's customers and for everybody's.
    Each card counts exactly the records its list opens (the same domain),
    in two `_read_group` per card whatever the number of customers."""

    _name = "billing.followup.dashboard"
    _description = "Follow-up Dashboard"
    _auto = False
    _order = "company_id, sequence"

    company_id = fields.Many2one("res.company", readonly=True)
    card = fields.Selection(CARDS, readonly=True)
    sequence = fields.Integer(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    count_mine = fields.Integer("Mine", compute="_compute_counts")
    count_all = fields.Integer("Everybody", compute="_compute_counts")
    amount_mine = fields.Monetary("Amount (Mine)", compute="_compute_counts")
    amount_all = fields.Monetary("Amount (Everybody)", compute="_compute_counts")
    has_amount = fields.Boolean(compute="_compute_counts")

    @property
    def _table_query(self):
        cards = SQL(", ").join(
            SQL("(%s, %s)", index, code) for index, (code, _label) in enumerate(CARDS)
        )
        return SQL(
            """SELECT company.id * 100 + card.sequence AS id,
                      company.id AS company_id, card.code AS card, card.sequence
                 FROM res_company company
           CROSS JOIN (VALUES %s) AS card(sequence, code)""",
            cards,
        )

    @api.model
    def _billing_cards(self):
        """{card: Card}: what each card counts and opens."""
        return {
            "to_review": Card(
                "billing.followup.review",
                lambda today: Domain.TRUE,
                "billing_followup.billing_followup_review_action",
                None,
            ),
            # per company: see the worklist's call_due
            "calls": _worklist(lambda today: Domain("call_due", "=", True)),
            "promises_due": Card(
                "billing.followup.promise",
                lambda today: Domain([("state", "=", "open"), ("date", "<=", today)]),
                "billing_followup.billing_followup_promise_action",
                "amount",
            ),
            "promises_broken": Card(
                "billing.followup.promise",
                lambda today: Domain(
                    [
                        ("state", "=", "broken"),
                        ("date", ">=", today - timedelta(days=BROKEN_PROMISE_DAYS)),
                    ]
                ),
                "billing_followup.billing_followup_promise_action",
                "amount",
            ),
            "disputes": Card(
                "account.move",
                lambda today: Domain(
                    [
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("billing_disputed", "=", True),
                        ("payment_state", "in", ("not_paid", "partial")),
                    ]
                ),
                "billing_followup.billing_followup_held_invoice_action",
                "amount_residual_signed",
            ),
            "approvals": Card(
                "billing.followup.event",
                lambda today: Domain(
                    [("state", "=", kinds.TO_APPROVE), ("kind", "=", kinds.STAGE)]
                ),
                "billing_followup.billing_followup_event_approval_action",
                None,
            ),
            "credit_hold": _worklist(
                lambda today: Domain("stage_credit_hold", "=", True)
            ),
            "failed_emails": _worklist(
                lambda today: Domain("failed_email_count", ">", 0)
            ),
            # the customers the next daily run reminds (today's, else
            # tomorrow's), from the look-ahead the worklist stores
            "next_run": _worklist(
                lambda today: Domain(
                    [
                        ("next_step_id", "!=", False),
                        ("next_date", "<=", today + timedelta(days=1)),
                    ]
                ),
                "open_amount",
            ),
        }

    def _domain(self, card, mine):
        """The records the card counts for its company (mine or all)."""
        today = fields.Date.context_today(self)
        domain = card.domain(today) & Domain("company_id", "=", self.company_id.id)
        return domain & Domain("billing_mine", "=", True) if mine else domain

    def _compute_counts(self):
        """Two `_read_group` per card shown, for all companies at once."""
        cards = self._billing_cards()
        today = fields.Date.context_today(self)
        totals = {}
        for code in set(self.mapped("card")):
            card = cards[code]
            companies = self.filtered(lambda r, c=code: r.card == c).company_id
            base = card.domain(today) & Domain("company_id", "in", companies.ids)
            aggregates = ["__count", *([f"{card.amount}:sum"] if card.amount else [])]
            for mine in (False, True):
                domain = base & Domain("billing_mine", "=", True) if mine else base
                for company, *values in self.env[card.model]._read_group(
                    domain, ["company_id"], aggregates
                ):
                    totals[code, company.id, mine] = values
        for row in self:
            card = cards[row.card]
            everybody = totals.get((row.card, row.company_id.id, False), [0, 0])
            mine = totals.get((row.card, row.company_id.id, True), [0, 0])
            row.count_all, row.count_mine = everybody[0], mine[0]
            row.has_amount = bool(card.amount)
            row.amount_all = everybody[1] if card.amount else 0
            row.amount_mine = mine[1] if card.amount else 0

    # ACTIONS -------------------------------------------------------------

    def action_open_mine(self):
        return self._open(mine=True)

    def action_open_all(self):
        return self._open(mine=False)

    def _open(self, mine):
        """The card's list, showing exactly the records it counts."""
        self.ensure_one()
        card = self._billing_cards()[self.card]
        action = self.env["ir.actions.act_window"]._for_xml_id(card.action)
        label = dict(self._fields["card"]._description_selection(self.env))[self.card]
        action.update(
            {
                "name": self.env._("%(card)s (Mine)", card=label) if mine else label,
                "domain": list(self._domain(card, mine)),
                "context": {},
            }
        )
        return action
