from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import billing_schedule

# Billing methods whose invoices the scheduled action creates.
SCHEDULED_METHODS = ("retainer", "subscription", "fixed")
# Fields that make up the billing schedule the client may move once.
SCHEDULE_FIELDS = ("billing_schedule", "billing_day", "billing_weekday")


class BillingContract(models.Model):
    """The agreement with a client that every invoice follows: scope, billing
    method and schedule, terms and policies."""

    _name = "billing.contract"
    _description = "Billing Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        check_company=True,
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    approver_id = fields.Many2one(
        "res.partner",
        string="Client approver",
        check_company=True,
        help="Who approves the work and any out-of-scope change for the client.",
    )
    invoice_contact_id = fields.Many2one(
        "res.partner",
        string="Invoicing contact",
        check_company=True,
        help="Who receives the invoices; the customer itself when empty.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Our responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    scope_included = fields.Html(string="Included in the scope")
    scope_excluded = fields.Html(string="Not included")
    deliverable_ids = fields.One2many(
        "billing.contract.deliverable", "contract_id", string="Deliverables"
    )
    billing_method = fields.Selection(
        [
            ("hourly", "Hourly"),
            ("fixed", "Fixed price in instalments"),
            ("retainer", "Retainer"),
            ("subscription", "Subscription"),
            ("milestone", "Milestones"),
        ],
        required=True,
        default="retainer",
        tracking=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    hourly_rate = fields.Monetary()
    amount = fields.Monetary(
        string="Amount per period",
        help="What each scheduled invoice bills (retainer, subscription fee or "
        "fixed-price instalment).",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Invoiced product",
        check_company=True,
        help="Sets the account and taxes of the scheduled invoice lines.",
    )
    invoice_label = fields.Char(
        help="Description of the scheduled invoice line; the period is added."
    )
    billing_schedule = fields.Selection(
        [
            ("weekly", "Weekly"),
            ("biweekly", "Every two weeks"),
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("milestone", "On milestones"),
        ],
        required=True,
        default="monthly",
        tracking=True,
    )
    billing_day = fields.Integer(
        help="Day of the month the invoice is issued (monthly and quarterly "
        "schedules), to match the client's payment run; 0 = the period's "
        "first day.",
        tracking=True,
    )
    billing_weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        help="Weekday the invoice is issued (weekly schedules).",
        tracking=True,
    )
    schedule_change_count = fields.Integer(
        readonly=True,
        copy=False,
        help="Times the client moved the billing schedule of the signed "
        "contract; the contract terms allow one.",
    )
    invoice_state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")],
        string="Scheduled invoices",
        required=True,
        default="draft",
        help="Leave the scheduled invoices in draft for review, or post them.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        check_company=True,
        tracking=True,
        help="Becomes the invoices' payment terms, early-payment discount " "included.",
    )
    followup_sequence_id = fields.Many2one(
        "billing.followup.sequence",
        string="Reminder sequence",
        check_company=True,
        tracking=True,
        help="The reminders this client agreed to; the customer's or the "
        "company's sequence when empty.",
    )
    payment_method_ids = fields.Many2many(
        "payment.method", string="Accepted payment methods"
    )
    date_start = fields.Date(
        string="Start date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="End date", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("signed", "Signed"),
            ("closed", "Closed"),
        ],
        required=True,
        default="draft",
        tracking=True,
        group_expand=True,
    )
    signed_on = fields.Date(copy=False, tracking=True)
    signed_by = fields.Char(copy=False, tracking=True)
    require_po = fields.Boolean(
        string="Client PO required",
        help="Invoices must carry the client's purchase order reference.",
    )
    completeness_blocking = fields.Boolean(
        string="Block incomplete invoices",
        help="Refuse to post or send an invoice that misses a required item, "
        "instead of only warning.",
    )
    personal_note = fields.Text(
        help="A personal word printed on the invoices (thanks, "
        "congratulations); the customer's note is used when empty."
    )
    invoice_ids = fields.One2many("account.move", "billing_contract_id")
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    scope_change_ids = fields.One2many("billing.scope.change", "contract_id")
    scope_change_count = fields.Integer(compute="_compute_scope_change_count")
    period_ids = fields.One2many(
        "billing.contract.period", "contract_id", string="Billed periods"
    )
    next_billing_date = fields.Date(
        compute="_compute_next_billing_date", store=True, index=True
    )
    is_scheduled = fields.Boolean(
        compute="_compute_is_scheduled",
        help="The scheduled action creates this contract's invoices.",
    )

    _name_company_uniq = models.Constraint(
        "UNIQUE(company_id, name)", "A contract reference must be unique."
    )

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for contract in self:
            contract.invoice_count = len(contract.invoice_ids)

    @api.depends("scope_change_ids")
    def _compute_scope_change_count(self):
        for contract in self:
            contract.scope_change_count = len(contract.scope_change_ids)

    @api.depends("billing_method")
    def _compute_is_scheduled(self):
        for contract in self:
            contract.is_scheduled = contract.billing_method in SCHEDULED_METHODS

    @api.depends(
        "state",
        "billing_method",
        "date_start",
        "date_end",
        "period_ids.date_end",
        *SCHEDULE_FIELDS,
    )
    def _compute_next_billing_date(self):
        for contract in self:
            contract.next_billing_date = (
                contract.state == "signed"
                and contract.is_scheduled
                and billing_schedule.next_billing_date(
                    contract._next_period_start(),
                    contract.billing_schedule,
                    end=contract.date_end,
                    **contract._billing_day_args(),
                )
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s ends before it starts: set an end "
                        "date after the start date.",
                        contract=contract.name,
                    )
                )

    @api.constrains("billing_day")
    def _check_billing_day(self):
        for contract in self:
            if not 0 <= contract.billing_day <= 31:
                raise ValidationError(
                    self.env._(
                        "The billing day is a day of the month, from 1 to 31 "
                        "(0 to bill on the first day of each period)."
                    )
                )

    @api.constrains("billing_method", "billing_schedule", "amount")
    def _check_schedule(self):
        for contract in self:
            if contract.billing_method not in SCHEDULED_METHODS:
                continue
            if contract.billing_schedule not in billing_schedule.PERIODIC:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s is billed by period: choose a "
                        "weekly, two-weekly, monthly or quarterly schedule.",
                        contract=contract.name,
                    )
                )
            if contract.amount < 0:
                raise ValidationError(
                    self.env._("The amount per period cannot be negative.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("billing.contract") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if any(name in vals for name in SCHEDULE_FIELDS):
            self._count_schedule_change(vals)
        return super().write(vals)

    def _count_schedule_change(self, vals):
        """The client may move the billing schedule of a signed contract once;
        a second change is refused."""
        for contract in self.filtered(lambda c: c.state == "signed"):
            changed = [
                name
                for name in SCHEDULE_FIELDS
                if name in vals
                and contract._fields[name].convert_to_write(contract[name], contract)
                != (vals[name] or False)
            ]
            if not changed:
                continue
            if contract.schedule_change_count >= 1:
                raise UserError(
                    self.env._(
                        "The billing schedule of contract %(contract)s was "
                        "already moved once. The contract terms allow one "
                        "change of the billing schedule per contract: keep the "
                        "current schedule, or agree new terms with the client "
                        "in a new contract.",
                        contract=contract.name,
                    )
                )
            super(BillingContract, contract).write(
                {"schedule_change_count": contract.schedule_change_count + 1}
            )
            contract.message_post(
                body=self.env._(
                    "The client moved the billing schedule (the one change the "
                    "contract terms allow)."
                )
            )

    def _billing_day_args(self):
        self.ensure_one()
        return {
            "billing_day": self.billing_day,
            "weekday": int(self.billing_weekday) if self.billing_weekday else None,
        }

    def _next_period_start(self):
        """Day after the last billed period, so periods stay contiguous even
        after the schedule was moved."""
        self.ensure_one()
        ends = self.period_ids.mapped("date_end")
        if not ends:
            return self.date_start
        return max(ends) + timedelta(days=1)

    # State changes

    def action_send(self):
        self.filtered(lambda c: c.state == "draft").state = "sent"

    def action_sign(self):
        for contract in self:
            if not contract.signed_by:
                raise UserError(
                    self.env._(
                        "Enter who signed contract %(contract)s for the client "
                        "(Signed by) before marking it signed.",
                        contract=contract.name,
                    )
                )
            contract.write(
                {
                    "state": "signed",
                    "signed_on": contract.signed_on
                    or fields.Date.context_today(contract),
                }
            )

    def action_close(self):
        self.state = "closed"

    def action_draft(self):
        self.filtered(lambda c: c.state == "sent").state = "draft"

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("billing_contract_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_partner_id": (self.invoice_contact_id or self.partner_id).id,
            "default_billing_contract_id": self.id,
        }
        return action

    def action_view_scope_changes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_scope_change_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_generate_invoices(self):
        invoices = self._generate_invoices()
        if not invoices:
            raise UserError(
                self.env._("Nothing is due: every period up to today is billed.")
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        return action
