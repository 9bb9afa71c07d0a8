from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    billing_out_of_scope = fields.Boolean(
        string="Out of scope",
        compute="_compute_billing_out_of_scope",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Work outside the contract's scope: it needs a scope change the "
        "client approved before the invoice can be posted.",
    )
    billing_scope_change_id = fields.Many2one(
        "billing.scope.change",
        string="Scope change",
        index="btree_not_null",
        copy=True,
        domain="[('contract_id', '=', parent.billing_contract_id), "
        "('state', '=', 'approved')]",
    )

    @api.depends("billing_scope_change_id")
    def _compute_billing_out_of_scope(self):
        for line in self:
            line.billing_out_of_scope = (
                bool(line.billing_scope_change_id) or line.billing_out_of_scope
            )

    @api.constrains("billing_scope_change_id", "move_id")
    def _check_billing_scope_change(self):
        for line in self.filtered("billing_scope_change_id"):
            change = line.billing_scope_change_id
            if change.contract_id != line.move_id.billing_contract_id:
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s”: scope change %(change)s belongs to "
                        "contract %(contract)s; link it from an invoice of that "
                        "contract.",
                        line=line.name,
                        change=change.name,
                        contract=change.contract_id.name,
                    )
                )
