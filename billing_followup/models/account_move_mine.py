from odoo import models


class AccountMove(models.Model):
    """Invoices say whether their customer is one of mine (the dashboard's
    disputes card and its list)."""

    _name = "account.move"
    _inherit = ["account.move", "billing.followup.mine.mixin"]
    _billing_mine_partner = "commercial_partner_id"
