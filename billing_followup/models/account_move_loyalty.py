from odoo import fields, models


class AccountMoveLoyalty(models.Model):
    """A customer invoice earns the loyalty credit of its customer when it
    is posted, whatever made it (contract, hand, sale): the credit is on it
    before it reaches the client."""

    _inherit = "account.move"

    billing_loyalty_key = fields.Char(
        "Loyalty Credit Key",
        readonly=True,
        copy=False,
        help="The run of invoices paid on time whose loyalty credit this "
        "invoice carries.",
    )
    billing_loyalty_credit_note_id = fields.Many2one(
        "account.move",
        "Loyalty Credit Note",
        readonly=True,
        copy=False,
        help="The credit note that gives this invoice's loyalty credit.",
    )

    def _post(self, soft=True):
        today = fields.Date.context_today(self)
        candidates = self.filtered(
            lambda move: move.move_type == "out_invoice"
            and not move.billing_loyalty_key
            and not move.billing_fee_policy_id
            and move.company_id.billing_loyalty_streak > 0
            and move.company_id.billing_loyalty_product_id
            # a soft post leaves future-dated invoices to auto-post later
            and not (soft and move.date > today)
        )
        notes = self.env["billing.loyalty"]._grant(candidates)
        posted = super()._post(soft=soft)
        self.env["billing.loyalty"]._issue_credit_notes(notes)
        return posted
