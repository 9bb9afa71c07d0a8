from odoo import models


class BillingContractLoyalty(models.AbstractModel):
    """A contract invoice carries the loyalty credit its customer earned."""

    _inherit = "billing.contract.invoice.mixin"

    def _prepare_invoice_values(self, lines_values, **values):
        credit = self.env["billing.loyalty"]._credit_line(self, lines_values)
        if credit and "billing_loyalty_key" not in values:
            line, key = credit
            lines_values = [*lines_values, line]
            values["billing_loyalty_key"] = key
        return super()._prepare_invoice_values(lines_values, **values)
