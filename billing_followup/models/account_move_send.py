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

    @api.model
    def _send_mail(self, move, mail_template, **kwargs):
        """Sending an invoice is not a reminder: flag the post so that the
        minimum interval between reminders does not count it."""
        return super()._send_mail(
            move.with_context(billing_invoice_sending=True), mail_template, **kwargs
        )
