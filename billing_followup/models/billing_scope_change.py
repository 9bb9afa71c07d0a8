from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BillingScopeChange(models.Model):
    """Extra work outside the contract's scope. It is billed only once the
    client approved it in writing: who, when, and the proof."""

    _name = "billing.scope.change"
    _description = "Out-of-Scope Change"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True, tracking=True)
    contract_id = fields.Many2one(
        "billing.contract",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    amount = fields.Monetary(tracking=True)
    hours = fields.Float()
    reason = fields.Text(help="Why the work is outside the agreed scope.")
    state = fields.Selection(
        [("draft", "To approve"), ("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        default="draft",
        tracking=True,
    )
    approver_id = fields.Many2one(
        "res.partner",
        string="Approved by",
        compute="_compute_approver_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    approval_date = fields.Date(tracking=True)
    approval_note = fields.Text(
        string="How it was approved",
        help="E.g. 'signed change order', 'email of 3 March from the client'.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Written approval", copy=False
    )
    invoice_line_ids = fields.One2many(
        "account.move.line", "billing_scope_change_id", string="Invoice lines"
    )
    invoiced = fields.Boolean(compute="_compute_invoiced", store=True)

    @api.depends("contract_id")
    def _compute_approver_id(self):
        for change in self:
            change.approver_id = change.approver_id or change.contract_id.approver_id

    @api.depends("invoice_line_ids.parent_state")
    def _compute_invoiced(self):
        for change in self:
            change.invoiced = any(
                state != "cancel"
                for state in change.invoice_line_ids.mapped("parent_state")
            )

    @api.constrains("amount", "hours")
    def _check_amount(self):
        for change in self:
            if change.amount < 0 or change.hours < 0:
                raise ValidationError(
                    self.env._(
                        "Scope change %(name)s: the amount and hours cannot be "
                        "negative.",
                        name=change.name,
                    )
                )

    def action_approve(self):
        """Record the client's written approval; all three facts are needed."""
        for change in self:
            if not (
                change.approver_id
                and change.approval_date
                and (change.attachment_ids or change.approval_note)
            ):
                raise UserError(
                    self.env._(
                        "To approve %(name)s, record who approved it for the "
                        "client, the date, and the written approval (attach it, "
                        "or note how it was given).",
                        name=change.name,
                    )
                )
        self.state = "approved"

    def action_reject(self):
        if self.filtered("invoiced"):
            raise UserError(self.env._("An invoiced scope change cannot be rejected."))
        self.state = "rejected"

    def action_reset(self):
        self.filtered(lambda c: not c.invoiced).state = "draft"

    def _to_invoice(self):
        return self.filtered(lambda c: c.state == "approved" and not c.invoiced)

    def _prepare_invoice_line(self):
        self.ensure_one()
        line = {
            "name": self.name,
            "quantity": 1,
            "price_unit": self.amount,
            "billing_out_of_scope": True,
            "billing_scope_change_id": self.id,
        }
        if self.contract_id.product_id:
            line["product_id"] = self.contract_id.product_id.id
        return line
