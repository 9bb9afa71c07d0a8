from odoo import fields, models


class BillingInvoiceProformaMixin(models.AbstractModel):
    """Pro-forma estimate of a draft invoice (the invoice's side of
    `billing.proforma.mixin`, kept apart from the invoice's own logic)."""

    _name = "billing.invoice.proforma.mixin"
    _description = "Invoice Pro-forma"
    _inherit = ["billing.proforma.mixin"]

    def _billing_proforma_values(self, lang):
        """What the pro-forma of this (draft) invoice shows, in `lang`."""
        self.ensure_one()
        move = self.with_context(lang=lang)
        lines = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        terms, incentive = move._billing_terms_parts(
            lang, on=fields.Date.context_today(self)
        )
        contract = move.billing_contract_id
        return {
            "reference": move.name if move.name and move.name != "/" else "",
            "partner": move.partner_id,
            "currency": move.currency_id,
            "lines": [
                {
                    "name": line.name or line.product_id.display_name,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "amount": line.price_subtotal,
                    "extra": line.billing_out_of_scope,
                }
                for line in lines
            ],
            "total": move.amount_untaxed,
            "tax": move.amount_tax,
            "total_taxed": move.amount_total,
            "terms": terms,
            "incentive": incentive,
            "payment_methods": contract.payment_method_ids.mapped("name"),
            "note": move.billing_personal_note,
            "scope_included": False,
            "scope_excluded": False,
        }

    def action_billing_proforma(self):
        return self.env.ref(
            "billing_followup.action_report_invoice_proforma"
        ).report_action(self)

    def action_billing_send_proforma(self):
        self.ensure_one()
        return self._billing_proforma_composer(
            "billing_followup.mail_template_invoice_proforma"
        )
