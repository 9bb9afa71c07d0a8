from odoo import fields, models

from .res_partner_payer_profile import PAYER_CLASSES


class BillingFollowupRule(models.Model):
    """Chooses a customer's reminder sequence from what is known of it (its
    tags, its payer class, how much it owes overdue) when neither a contract
    nor the customer names one; the first matching rule wins."""

    _name = "billing.followup.rule"
    _description = "Reminder Sequence Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    followup_sequence_id = fields.Many2one(
        "billing.followup.sequence",
        "Reminder Sequence",
        required=True,
        check_company=True,
    )
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="The customer has at least one of these tags.",
    )
    payer_class = fields.Selection(PAYER_CLASSES, "Payer Class")
    min_overdue_amount = fields.Monetary(
        "Overdue Above",
        help="The customer owes more than this overdue (company currency).",
    )

    def _matches(self, partner, overdue):
        """Whether `partner` (in the rule's company) meets every criterion
        the rule sets; `overdue` is a callable giving its overdue amount."""
        self.ensure_one()
        if self.category_ids and not (self.category_ids & partner.category_id):
            return False
        if self.payer_class and partner.billing_payer_class != self.payer_class:
            return False
        return not self.min_overdue_amount or overdue() > self.min_overdue_amount
