from odoo import api, models


class PaymentProvider(models.Model):
    """A provider enabled, published or removed changes what the follow-up
    messages may offer (see `res.company._billing_pays_online`)."""

    _inherit = "payment.provider"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if {"state", "is_published", "company_id"} & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
