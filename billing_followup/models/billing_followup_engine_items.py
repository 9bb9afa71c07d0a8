from odoo import api, models
from odoo.tools import SQL


class BillingFollowupEngineItems(models.AbstractModel):
    """The open items of a batch as the decision reads them, in one query
    of plain values (see `_gather`)."""

    _inherit = "billing.followup.engine"

    @api.model
    def _open_item_rows(self, line_ids):
        """[(line id, partner id, company id, move id, due date, residual,
        currency id, rounding, payment state, disputed, paused until, id of
        the active late fee policy of the invoice's contract (0: none),
        invoice total, is a fee)] of `line_ids`, in their order."""
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "company_id",
                "move_id",
                "date",
                "date_maturity",
                "amount_residual_currency",
                "currency_id",
            ]
        )
        self.env["account.move"].flush_model(
            [
                "payment_state",
                "billing_disputed",
                "billing_paused_until",
                "billing_contract_id",
                "billing_fee_policy_id",
                "amount_total",
            ]
        )
        self.env["billing.contract"].flush_model(["late_fee_policy_id"])
        self.env["billing.late.fee.policy"].flush_model(["active"])
        self.env["res.currency"].flush_model(["rounding"])
        rows = self.env.execute_query(
            SQL(
                """SELECT line.id, line.partner_id, line.company_id, line.move_id,
                          COALESCE(line.date_maturity, line.date),
                          line.amount_residual_currency, line.currency_id,
                          currency.rounding, move.payment_state,
                          move.billing_disputed, move.billing_paused_until,
                          CASE WHEN policy.active THEN policy.id ELSE 0 END,
                          move.amount_total, move.billing_fee_policy_id IS NOT NULL
                     FROM account_move_line line
                     JOIN account_move move ON move.id = line.move_id
                     JOIN res_currency currency ON currency.id = line.currency_id
                LEFT JOIN billing_contract contract
                       ON contract.id = move.billing_contract_id
                LEFT JOIN billing_late_fee_policy policy
                       ON policy.id = contract.late_fee_policy_id
                    WHERE line.id = ANY(%s)""",
                line_ids,
            )
        )
        order = {line_id: n for n, line_id in enumerate(line_ids)}
        return sorted(rows, key=lambda row: order[row[0]])
