from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..tools import followup_kinds as kinds

REVERSED = "reversed"


class BillingFollowupEngineFee(models.AbstractModel):
    """The engine's reading of the fees already charged: which fees happened
    (their keys), when each invoice was last charged and how much it was
    charged in all (the policy's caps bound that total)."""

    _inherit = "billing.followup.engine"

    @api.model
    def _fee_history(self, partner_ids, line_keys):
        """({key: fee keys}, {key: {line id: last day charged}}, {key: {line
        id: fees charged on it}}) of the customers, in two queries; `line_keys`:
        {open line id: key}. A waived fee (reversed) counts for nothing."""
        fee_keys, charged = defaultdict(set), defaultdict(dict)
        for partner_id, company_id, key, date, line_id in self.env.execute_query(
            SQL(
                """SELECT event.partner_id, event.company_id, event.key,
                          event.date, rel.account_move_line_id
                     FROM billing_followup_event event
                LEFT JOIN billing_followup_event_line_rel rel
                       ON rel.billing_followup_event_id = event.id
                    WHERE event.partner_id IN %s AND event.kind = %s
                      AND event.key LIKE %s""",
                partner_ids,
                kinds.FEE,
                f"{kinds.FEE_PREFIX}%",
            )
        ):
            fee_keys[(partner_id, company_id)].add(key)
            if line_id:
                last = charged[(partner_id, company_id)].get(line_id)
                charged[(partner_id, company_id)][line_id] = max(last or date, date)
        totals = defaultdict(dict)
        if line_keys:
            for line_id, total in self.env.execute_query(
                SQL(
                    """SELECT fee_line.billing_fee_source_line_id,
                              SUM(fee_line.price_subtotal)
                         FROM account_move_line fee_line
                         JOIN account_move fee ON fee.id = fee_line.move_id
                        WHERE fee_line.billing_fee_source_line_id IN %s
                          AND fee.state = %s AND fee.payment_state != %s
                     GROUP BY fee_line.billing_fee_source_line_id""",
                    tuple(line_keys),
                    "posted",
                    REVERSED,
                )
            ):
                totals[line_keys[line_id]][line_id] = float(total)
        return fee_keys, charged, totals
