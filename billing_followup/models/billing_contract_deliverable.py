from odoo import Command, fields, models
from odoo.exceptions import UserError


class BillingContractDeliverable(models.Model):
    """A deliverable of the contract with its deadline; on milestone
    contracts, also what is billed when it is delivered."""

    _name = "billing.contract.deliverable"
    _description = "Contract Deliverable"
    _order = "contract_id, sequence, deadline, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    contract_id = fields.Many2one(
        "billing.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    name = fields.Char(string="Deliverable", required=True)
    deadline = fields.Date()
    amount = fields.Monetary(help="Billed when delivered (milestone contracts).")
    delivered = fields.Boolean()
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        copy=False,
        check_company=True,
    )

    def action_invoice(self):
        """Bill a delivered milestone once, as a draft for review."""
        self.ensure_one()
        contract = self.contract_id
        if self.move_id:
            raise UserError(
                self.env._(
                    "Milestone %(name)s is already billed on %(invoice)s.",
                    name=self.name,
                    invoice=self.move_id.display_name,
                )
            )
        if not self.delivered or contract.state != "signed":
            raise UserError(
                self.env._(
                    "Bill milestone %(name)s once it is delivered, on a signed "
                    "contract.",
                    name=self.name,
                )
            )
        line = {"name": self.name, "quantity": 1, "price_unit": self.amount}
        if contract.product_id:
            line["product_id"] = contract.product_id.id
        self.move_id = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": contract.company_id.id,
                "partner_id": (contract.invoice_contact_id or contract.partner_id).id,
                "billing_contract_id": contract.id,
                "currency_id": contract.currency_id.id,
                "invoice_payment_term_id": contract.payment_term_id.id,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
