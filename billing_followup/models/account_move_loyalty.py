from odoo import api, fields, models


class AccountMoveLoyalty(models.Model):
    """An invoice carrying a loyalty credit records it in the ledger."""

    _inherit = "account.move"

    billing_loyalty_key = fields.Char(
        "Loyalty Credit Key",
        readonly=True,
        copy=False,
        help="The run of invoices paid on time whose loyalty credit this "
        "invoice carries.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        if any(vals.get("billing_loyalty_key") for vals in vals_list):
            self.env["billing.loyalty"]._record(moves)
        return moves
