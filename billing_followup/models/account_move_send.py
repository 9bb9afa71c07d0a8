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

    @api.model
    def _get_default_mail_body(self, move, mail_template, mail_lang):
        """A customer invoice's email ends with the link to the client's
        page; Odoo's template stays untouched (any template gets it)."""
        body = super()._get_default_mail_body(move, mail_template, mail_lang)
        if not move.is_sale_document() or not body:
            return body
        customer = move.commercial_partner_id
        link = (
            self.env["ir.qweb"]
            .with_context(lang=mail_lang)
            ._render(
                "billing_followup.portal_invoice_mail_link",
                {
                    "url": customer._billing_portal_full_url(move.company_id),
                    "company": move.company_id,
                },
            )
        )
        return body + link
