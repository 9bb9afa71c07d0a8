from odoo import fields, models


class BillingContractFee(models.Model):
    """The late fee the contract announces: it prevails, for the contract's
    invoices, over the customer's and the sequence's."""

    _inherit = "billing.contract"

    late_fee_policy_id = fields.Many2one(
        "billing.late.fee.policy",
        check_company=True,
        tracking=True,
        help="Charged on this contract's overdue invoices by the reminder steps "
        "that charge a fee.",
    )
