from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_move_constraints(self, move):
        """An incomplete invoice is not sent when its contract says so."""
        constraints = super()._get_move_constraints(move)
        if move.billing_completeness_blocking and move.billing_missing_items:
            constraints["billing_incomplete"] = move.env._(
                "Invoice %(invoice)s is incomplete and its contract does not "
                "allow sending incomplete invoices. Missing: %(items)s.",
                invoice=move.display_name,
                items=", ".join(move.billing_missing_items.splitlines()),
            )
        return constraints
