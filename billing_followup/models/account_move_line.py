from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    billing_out_of_scope = fields.Boolean(
        string="Out of Scope",
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
        string="Scope Change",
        index="btree_not_null",
        check_company=True,
        # a duplicated invoice would bill the change twice; credit notes
        # keep it (_copy_data_extend_business_fields)
        copy=False,
        domain="[('contract_id', '=', parent.billing_contract_id), "
        "('state', '=', 'approved'), ('on_invoice', '=', False)]",
    )

    billing_fee_source_line_id = fields.Many2one(
        "account.move.line",
        "Charged Line",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="On a late fee invoice's line: the overdue line it charges (the "
        "policy's caps bound the fees charged on it in all).",
    )

    @api.depends("billing_scope_change_id")
    def _compute_billing_out_of_scope(self):
        for line in self:
            line.billing_out_of_scope = (
                bool(line.billing_scope_change_id) or line.billing_out_of_scope
            )

    def _copy_data_extend_business_fields(self, values):
        """A credit note (or its "reverse and create invoice" copy) keeps
        the scope change it takes back."""
        super()._copy_data_extend_business_fields(values)
        if self.billing_scope_change_id:
            values["billing_scope_change_id"] = self.billing_scope_change_id.id

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
            line._billing_check_invoiced_once()

    def _billing_check_invoiced_once(self):
        """A scope change is invoiced once: an invoice line cannot take a
        change that other invoices already bill (net of credit notes)."""
        self.ensure_one()
        if self.move_id.move_type == "out_refund":
            return
        change = self.billing_scope_change_id
        others = change.invoice_line_ids.filtered(
            lambda line: line != self and line.parent_state != "cancel"
        )
        if not change.currency_id.is_zero(change._invoiced_amount(others)):
            raise ValidationError(
                self.env._(
                    "Line “%(line)s”: scope change %(change)s is already "
                    "invoiced on %(invoices)s. A scope change is invoiced once; "
                    "issue a credit note first to bill it again.",
                    line=self.name,
                    change=change.name,
                    invoices=", ".join(others.move_id.mapped("display_name")),
                )
            )
