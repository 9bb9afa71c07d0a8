from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import billing_schedule
from .billing_contract_schedule import SCHEDULE_FIELDS

# Fields only the contract's own actions change (they run in sudo).
PROTECTED_FIELDS = ("state", "schedule_change_count")


class BillingContract(models.Model):
    """The agreement with a client that every invoice follows: scope, billing
    method and schedule, terms and policies. Its concerns live in named
    mixins: invoice hooks (`billing.contract.invoice.mixin`), the schedule
    (`billing.contract.schedule.mixin`) and the pro-forma
    (`billing.contract.proforma.mixin`)."""

    _name = "billing.contract"
    _description = "Billing Contract"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "billing.contract.invoice.mixin",
        "billing.contract.schedule.mixin",
        "billing.contract.proforma.mixin",
    ]
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
        string="Invoicing Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="Who receives the invoices; the customer itself when empty.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    scope_included = fields.Html(string="Included in the Scope")
    scope_excluded = fields.Html(string="Not Included")
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
        string="Amount per Period",
        help="What each scheduled invoice bills (retainer, subscription fee or "
        "fixed-price instalment).",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Invoiced Product",
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
        string="Schedule Changes",
        readonly=True,
        copy=False,
        help="Times the client moved the billing schedule of the signed "
        "contract; the contract terms allow one.",
    )
    invoice_state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")],
        string="Scheduled Invoices",
        required=True,
        default="draft",
        help="Leave the scheduled invoices in draft for review, or post them.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        check_company=True,
        tracking=True,
        help="Becomes the invoices' payment terms, early-payment discount included.",
    )
    followup_sequence_id = fields.Many2one(
        "billing.followup.sequence",
        string="Reminder Sequence",
        check_company=True,
        tracking=True,
        help="The reminders this client agreed to; the customer's or the "
        "company's sequence when empty.",
    )
    payment_method_ids = fields.Many2many(
        "payment.method", string="Accepted Payment Methods"
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="End Date", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("signed", "Signed"),
            ("closed", "Closed"),
        ],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        tracking=True,
        group_expand=True,
    )
    active = fields.Boolean(
        default=True,
        tracking=True,
        help="Archive a contract with billed periods instead of deleting it.",
    )
    signed_on = fields.Date(string="Signed On", copy=False, tracking=True)
    signed_by = fields.Char(string="Signed By", copy=False, tracking=True)
    require_po = fields.Boolean(
        string="Client PO Required",
        help="Invoices must carry the client's purchase order reference.",
    )
    completeness_blocking = fields.Boolean(
        string="Block Incomplete Invoices",
        help="Refuse to post or send an invoice that misses a required item, "
        "instead of only warning.",
    )
    personal_note = fields.Text(
        string="Personal Note",
        help="A personal word printed on the invoices (thanks, "
        "congratulations); the customer's note is used when empty.",
    )
    invoice_ids = fields.One2many(
        "account.move", "billing_contract_id", string="Invoices"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    scope_change_ids = fields.One2many(
        "billing.scope.change", "contract_id", string="Scope Changes"
    )
    scope_change_count = fields.Integer(compute="_compute_scope_change_count")
    period_ids = fields.One2many(
        "billing.contract.period", "contract_id", string="Billed Periods"
    )
    next_billing_date = fields.Date(
        compute="_compute_next_billing_date", store=True, index=True
    )
    is_scheduled = fields.Boolean(
        compute="_compute_is_scheduled",
        help="The scheduled action bills this contract's periods.",
    )
    invoice_error = fields.Text(
        string="Scheduling Error",
        readonly=True,
        copy=False,
        help="Why the scheduled action could not bill this contract on its "
        "last run; cleared once it bills it again.",
    )

    _name_company_uniq = models.Constraint(
        "UNIQUE(company_id, name)", "A contract reference must be unique."
    )

    # COMPUTE METHODS

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
            contract.is_scheduled = (
                contract.billing_method in billing_schedule.SCHEDULED_METHODS
            )

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

    # CONSTRAINTS

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

    @api.constrains("partner_id", "invoice_contact_id")
    def _check_invoice_contact(self):
        """Invoices and reminders go to the invoicing contact: it must be a
        contact of the customer, never a third party."""
        for contract in self.filtered("invoice_contact_id"):
            contact = contract.invoice_contact_id
            if contact.commercial_partner_id != contract.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the invoicing contact "
                        "%(contact)s is not a contact of %(customer)s. Choose "
                        "one of the customer's contacts, or leave it empty to "
                        "invoice the customer itself.",
                        contract=contract.name,
                        contact=contact.display_name,
                        customer=contract.commercial_partner_id.display_name,
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                self._check_protected_write(["state"])
            if vals.get("schedule_change_count"):
                self._check_protected_write(["schedule_change_count"])
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("billing.contract") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_write(vals)
        if any(name in vals for name in SCHEDULE_FIELDS):
            self._count_schedule_change(vals)
        return super().write(vals)

    @api.model
    def _check_protected_write(self, field_names):
        """The status and the count of schedule changes follow the contract's
        actions (signing, closing, the one schedule change): a direct write,
        e.g. by RPC, could sign a contract nobody signed."""
        protected = [name for name in PROTECTED_FIELDS if name in field_names]
        if protected and not self.env.su:
            raise UserError(
                self.env._(
                    "%(fields)s of a contract change only through its buttons "
                    "(Mark as Sent, Mark as Signed, Close, Back to Draft).",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in protected
                    ),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed_periods(self):
        """The billed periods are the proof of what was invoiced: a contract
        that billed any is archived, not deleted."""
        billed = self.filtered("period_ids")
        if billed:
            raise UserError(
                self.env._(
                    "Contract %(contract)s has billed periods and cannot be "
                    "deleted: archive it instead.",
                    contract=billed[0].name,
                )
            )

    # ACTIONS

    def _set_state(self, state, **values):
        """The one way the status changes: the user must be allowed to edit
        the contract; the write itself passes the guard in sudo."""
        self.check_access("write")
        self.sudo().write({"state": state, **values})

    def action_send(self):
        self.filtered(lambda c: c.state == "draft")._set_state("sent")

    def action_sign(self):
        for contract in self:
            if not contract.signed_by:
                raise UserError(
                    self.env._(
                        "Enter who signed contract %(contract)s for the client "
                        "(Signed By) before marking it signed.",
                        contract=contract.name,
                    )
                )
            contract._set_state(
                "signed",
                signed_on=contract.signed_on or fields.Date.context_today(contract),
            )

    def action_close(self):
        self._set_state("closed")

    def action_draft(self):
        self.filtered(lambda c: c.state == "sent")._set_state("draft")
