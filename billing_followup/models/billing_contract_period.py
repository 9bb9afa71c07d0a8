from odoo import fields, models


class BillingContractPeriod(models.Model):
    """Ledger of the billed periods of a contract. The unique constraint is
    what guarantees a period is never invoiced twice, even by two workers at
    once or after its invoice was deleted."""

    _name = "billing.contract.period"
    _description = "Billed Contract Period"
    _order = "contract_id, date_start"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "billing.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True
    )
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    billing_date = fields.Date(required=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", ondelete="set null", check_company=True
    )

    _contract_period_uniq = models.Constraint(
        "UNIQUE(contract_id, date_start)",
        "This period of the contract is already billed.",
    )
    _dates_check = models.Constraint(
        "CHECK(date_end >= date_start)",
        "A billed period cannot end before it starts.",
    )
