from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

# What the client approved: fixed once the change is approved.
LOCKED_FIELDS = {"amount", "contract_id"}


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
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        tracking=True,
    )
    approver_id = fields.Many2one(
        "res.partner",
        string="Approved By",
        tracking=True,
        help="Who approved the work for the client; left empty, the contract's "
        "client approver once Record Approval is clicked.",
    )
    approval_date = fields.Date(string="Approval Date", tracking=True)
    approval_note = fields.Text(
        string="How It Was Approved",
        help="E.g. 'signed change order', 'email of 3 March from the client'.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Written Approval", copy=False
    )
    invoice_line_ids = fields.One2many(
        "account.move.line", "billing_scope_change_id", string="Invoice Lines"
    )
    invoiced = fields.Boolean(
        compute="_compute_invoiced",
        store=True,
        help="Its invoice is posted; a draft invoice does not bill it yet.",
    )
    on_invoice = fields.Boolean(
        "On an Invoice",
        compute="_compute_invoiced",
        store=True,
        help="A draft or posted invoice bills it: it is not invoiced again.",
    )

    @api.depends("invoice_line_ids.parent_state")
    def _compute_invoiced(self):
        for change in self:
            states = set(change.invoice_line_ids.mapped("parent_state"))
            change.invoiced = "posted" in states
            change.on_invoice = bool(states - {"cancel"})

    @api.constrains("approval_date")
    def _check_approval_date(self):
        today = fields.Date.context_today(self)
        for change in self:
            if change.approval_date and change.approval_date > today:
                raise ValidationError(
                    self.env._(
                        "Scope change %(name)s: the approval date %(date)s is in "
                        "the future; record the day the client approved it.",
                        name=change.name,
                        date=format_date(self.env, change.approval_date),
                    )
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

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            self._check_state_write()
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_state_write()
        if LOCKED_FIELDS & vals.keys():
            self._check_approved_terms(vals)
        return super().write(vals)

    @api.model
    def _check_state_write(self):
        """Approval needs its proof (action_approve): a direct write of the
        status, e.g. by RPC, would skip it."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The status of a scope change changes only through its "
                    "buttons (Record Approval, Rejected by the Client, Back to "
                    "Approval)."
                )
            )

    def _check_approved_terms(self, vals):
        """The client approved this amount for this contract: changing either
        needs a new approval (Back to approval first)."""
        for change in self.filtered(lambda c: c.state == "approved"):
            for name in LOCKED_FIELDS & vals.keys():
                field = change._fields[name]
                if field.convert_to_write(change[name], change) != vals[name]:
                    raise UserError(
                        self.env._(
                            "Scope change %(name)s is approved: its %(field)s "
                            "is what the client agreed to. Use Back to Approval "
                            "to change it.",
                            name=change.name,
                            field=field.get_description(self.env)["string"],
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.filtered("on_invoice"):
            raise UserError(
                self.env._(
                    "An invoiced scope change cannot be deleted: its invoice "
                    "lines refer to it."
                )
            )

    def _set_state(self, state):
        """The one way the status changes: the user must be allowed to edit
        the change; the write itself passes the guard in sudo."""
        self.check_access("write")
        self.sudo().state = state

    def action_approve(self):
        """Record the client's written approval; all three facts are needed,
        and a contract the client has not even received cannot be extended."""
        for change in self:
            if change.contract_id.state == "draft":
                raise ValidationError(
                    self.env._(
                        "Scope change %(name)s belongs to %(contract)s, still a "
                        "draft: send the contract to the client before approving "
                        "extra work on it.",
                        name=change.name,
                        contract=change.contract_id.display_name,
                    )
                )
            if not (
                (change.approver_id or change.contract_id.approver_id)
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
        for change in self.filtered(lambda c: not c.approver_id):
            change.approver_id = change.contract_id.approver_id
        self._set_state("approved")

    def action_reject(self):
        if self.filtered("on_invoice"):
            raise UserError(self.env._("An invoiced scope change cannot be rejected."))
        self._set_state("rejected")

    def action_reset(self):
        self.filtered(lambda c: not c.on_invoice)._set_state("draft")

    def _to_invoice(self):
        return self.filtered(lambda c: c.state == "approved" and not c.on_invoice)

    def _prepare_invoice_line_values(self):
        """The invoice line of the approved extra work, built by the
        contract's hook."""
        self.ensure_one()
        return {
            **self.contract_id._prepare_invoice_line_values(self.name, self.amount),
            "billing_out_of_scope": True,
            "billing_scope_change_id": self.id,
        }

    def _invoiced_amount(self, lines):
        """Net untaxed amount `lines` bill for this change, in its currency:
        invoices add, credit notes take back."""
        self.ensure_one()
        total = 0.0
        for line in lines:
            amount = line.currency_id._convert(
                line.price_subtotal, self.currency_id, line.company_id, line.date
            )
            total += -amount if line.move_id.move_type == "out_refund" else amount
        return total

    def _check_invoiced_amount(self, lines):
        """Posted `lines` may not bill more than the client approved."""
        self.ensure_one()
        invoiced = self._invoiced_amount(lines)
        if self.currency_id.compare_amounts(invoiced, self.amount) > 0:
            raise ValidationError(
                self.env._(
                    "Scope change %(name)s was approved for %(approved)s, but "
                    "its invoices would bill %(invoiced)s. Bill at most the "
                    "approved amount, or record and approve a new scope change "
                    "for the rest.",
                    name=self.name,
                    approved=format_amount(self.env, self.amount, self.currency_id),
                    invoiced=format_amount(self.env, invoiced, self.currency_id),
                )
            )
