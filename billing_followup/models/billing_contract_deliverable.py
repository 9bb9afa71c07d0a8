from odoo import api, fields, models
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

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("move_id") for vals in vals_list):
            self._check_invoice_write()
        return super().create(vals_list)

    def write(self, vals):
        if "move_id" in vals:
            self._check_invoice_write()
        return super().write(vals)

    @api.model
    def _check_invoice_write(self):
        """A milestone's invoice is set by Invoice only: linking any invoice
        by hand (e.g. by RPC) would mark the milestone billed."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The invoice of a milestone is set by its Invoice button " "only."
                )
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
        self.check_access("write")
        invoice = self.env["account.move"].create(
            contract._prepare_invoice_values(
                [contract._prepare_invoice_line_values(self.name, self.amount)]
            )
        )
        # sudo: the invoice link is protected from direct writes; this is
        # the action that sets it, after the access check above
        self.sudo().move_id = invoice
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
