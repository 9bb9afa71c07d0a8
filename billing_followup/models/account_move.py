from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

from ..tools import followup_kinds as kinds
from ..tools import invoice_completeness, plain_terms


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "billing.invoice.proforma.mixin"]

    billing_disputed = fields.Boolean(
        "Disputed",
        copy=False,
        tracking=True,
        help="The customer disputes this invoice: no reminder until resolved.",
    )
    billing_event_ids = fields.Many2many(
        "billing.followup.event",
        compute="_compute_billing_event_ids",
        string="Follow-up History",
    )
    billing_followup_status = fields.Char(
        "Follow-up Status", compute="_compute_billing_event_ids"
    )

    billing_contract_id = fields.Many2one(
        "billing.contract",
        string="Contract",
        compute="_compute_billing_contract_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    billing_personal_note = fields.Text(
        string="Personal Note", compute="_compute_billing_personal_note"
    )
    billing_terms_text = fields.Char(
        string="Terms in Plain Words", compute="_compute_billing_terms_text"
    )
    billing_missing_items = fields.Text(
        string="Missing on the Invoice",
        compute="_compute_billing_missing_items",
    )
    billing_completeness_blocking = fields.Boolean(
        related="billing_contract_id.completeness_blocking"
    )

    @api.depends("line_ids")
    def _compute_billing_event_ids(self):
        Event = self.env["billing.followup.event"]
        events = Event.search([("move_ids", "in", self.ids)]) if self.ids else Event
        for move in self:
            mine = events.filtered(lambda e, move=move: move in e.move_ids)
            move.billing_event_ids = mine
            last = mine.filtered(lambda e: e.state != kinds.CANCELLED)[:1]
            move.billing_followup_status = bool(last) and self.env._(
                "%(step)s (%(kind)s) on %(date)s",
                step=last.step_id.name or last.kind,
                kind=dict(last._fields["kind"]._description_selection(self.env))[
                    last.kind
                ],
                date=format_date(self.env, last.date),
            )

    def _message_post_after_hook(self, new_message, message_values):
        """A message sent by hand to the customer counts as a contact; the
        invoice itself (account.move.send) does not."""
        if not self.env.context.get("billing_invoice_sending"):
            self.env["billing.followup.event"]._log_manual_contact(self, new_message)
        return super()._message_post_after_hook(new_message, message_values)

    @api.depends("partner_id", "company_id", "move_type")
    def _compute_billing_contract_id(self):
        # one cheap query spares a search per move, e.g. when the addon is
        # installed on a database full of invoices and without contracts
        # sudo: whoever may create the entry need not read contracts
        signed = (
            self.env["billing.contract"]
            .sudo()
            .search_count([("state", "=", "signed")], limit=1)
        )
        for move in self:
            if not signed:
                move.billing_contract_id = move.billing_contract_id
                continue
            contract = move.billing_contract_id
            if move.is_sale_document(include_receipts=True) and (
                contract.commercial_partner_id != move.commercial_partner_id
            ):
                contracts = move._billing_active_contracts()
                contract = contracts if len(contracts) == 1 else False
            move.billing_contract_id = contract

    def _billing_active_contracts(self):
        """Signed contracts of the customer in force today."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["billing.contract"]
        today = fields.Date.context_today(self)
        return (
            self.env["billing.contract"]
            .sudo()
            .search(
                Domain(
                    [
                        ("commercial_partner_id", "=", self.commercial_partner_id.id),
                        ("company_id", "=", self.company_id.id),
                        ("state", "=", "signed"),
                        ("date_start", "<=", today),
                    ]
                )
                & (Domain("date_end", "=", False) | Domain("date_end", ">=", today)),
                limit=2,
            )
            .sudo(False)
        )

    @api.depends("billing_contract_id")
    def _compute_invoice_payment_term_id(self):
        super()._compute_invoice_payment_term_id()
        for move in self:
            term = move.billing_contract_id.payment_term_id
            if term and move.is_sale_document(include_receipts=True):
                move.invoice_payment_term_id = term

    @api.depends("billing_contract_id")
    def _compute_currency_id(self):
        super()._compute_currency_id()
        for move in self:
            contract = move.billing_contract_id
            if contract and move.state == "draft" and not move.statement_line_id:
                move.currency_id = contract.currency_id

    @api.depends("billing_contract_id")
    def _compute_invoice_default_sale_person(self):
        super()._compute_invoice_default_sale_person()
        for move in self:
            if move.billing_contract_id.user_id and move.state == "draft":
                move.invoice_user_id = move.billing_contract_id.user_id

    @api.depends("billing_contract_id.personal_note", "partner_id")
    def _compute_billing_personal_note(self):
        for move in self:
            # sudo: the note is printed for whoever prints the invoice
            customer = move.partner_id.commercial_partner_id.sudo()
            move.billing_personal_note = (
                move.billing_contract_id.personal_note or customer.billing_personal_note
            )

    @api.depends(
        "invoice_payment_term_id", "invoice_date", "amount_total", "partner_id"
    )
    def _compute_billing_terms_text(self):
        for move in self:
            move.billing_terms_text = move._billing_terms_text(
                move.partner_id.lang or move.env.lang
            )

    def _billing_terms_text(self, lang):
        """The invoice's payment terms and early-payment incentive in plain
        words, in `lang`."""
        self.ensure_one()
        return " ".join(filter(None, self._billing_terms_parts(lang)))

    def _billing_terms_parts(self, lang, on=None):
        """(terms, incentive) in plain words, in `lang`; the incentive only
        while Odoo would grant the discount (and, given `on`, not after its
        last day)."""
        self.ensure_one()
        term = self.invoice_payment_term_id
        if not term:
            if self.invoice_date_due and self.invoice_date:
                days = (self.invoice_date_due - self.invoice_date).days
                return (
                    term._billing_describe_days(days, lang),
                    "",
                )
            return ("", "")
        discount = None
        if term.early_discount and not self._billing_discount_offered(on):
            return term._billing_describe(lang), ""
        if term.early_discount and self.invoice_date:
            discount = plain_terms.EarlyDiscount(
                percent=term.discount_percentage,
                days=term.discount_days,
                amount_text=format_amount(
                    self.env,
                    term._get_amount_due_after_discount(
                        self.amount_total, self.amount_tax
                    ),
                    self.currency_id,
                    lang_code=lang,
                ),
                date_text=term.with_context(
                    lang=lang
                )._get_last_discount_date_formatted(self.invoice_date),
            )
        return term._billing_describe(lang), term._billing_incentive(lang, discount)

    def _billing_discount_offered(self, on=None):
        """Whether the early-payment discount may still be offered: Odoo's
        own rule (invoice type, not once paid) and its last day not past."""
        if self.move_type not in self._early_payment_discount_move_types():
            return False
        if not self.invoice_date:
            return True
        last = self.invoice_payment_term_id._get_last_discount_date(self.invoice_date)
        if on and last < on:
            return False
        if not self.line_ids.filtered(lambda ln: ln.display_type == "payment_term"):
            return True
        return self._is_eligible_for_early_payment_discount(
            self.currency_id, self.invoice_date
        )

    @api.depends(
        "state",
        "name",
        "partner_id",
        "ref",
        "invoice_date_due",
        "invoice_payment_term_id",
        "invoice_line_ids.name",
        "partner_bank_id",
        "billing_contract_id.require_po",
    )
    def _compute_billing_missing_items(self):
        labels = self._billing_completeness_labels()
        for move in self:
            if not move.is_sale_document(include_receipts=True):
                move.billing_missing_items = False
                continue
            missing = invoice_completeness.missing_items(
                move._billing_completeness_facts()
            )
            move.billing_missing_items = "\n".join(labels[key] for key in missing)

    def _billing_completeness_facts(self):
        self.ensure_one()
        company = self.company_id.partner_id
        client = self.commercial_partner_id
        lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        return {
            "posted": self.state == "posted",
            "po_required": self.billing_contract_id.require_po,
            "company_name": bool(company.name),
            "company_address": bool(company.street and company.city),
            "company_email": bool(company.email),
            "company_phone": bool(company.phone),
            "company_vat": bool(company.vat),
            "company_bank": bool(
                self.partner_bank_id.filtered("active") or company.bank_ids
            ),
            "client_name": bool(client.name),
            "client_address": bool(client.street and client.city),
            "invoice_number": bool(self.name and self.name != "/"),
            "due_date": bool(self.invoice_payment_term_id or self.invoice_date_due),
            "itemised_lines": bool(lines) and all(lines.mapped("name")),
            "client_po": bool(self.ref),
        }

    def _billing_completeness_labels(self):
        _ = self.env._
        return {
            "company_name": _("our company name"),
            "company_address": _("our company address"),
            "company_email": _("our company email"),
            "company_phone": _("our company phone"),
            "company_vat": _("our tax ID"),
            "company_bank": _("a bank account to pay to"),
            "client_name": _("the client's name"),
            "client_address": _("the client's address"),
            "invoice_number": _("an invoice number"),
            "due_date": _("a due date or payment terms"),
            "itemised_lines": _("an itemised description on every line"),
            "client_po": _("the client's PO reference (Customer Reference)"),
        }

    def _billing_check_complete(self):
        """Refuse an incomplete invoice when its contract makes the
        completeness check blocking."""
        self.invalidate_recordset(["billing_missing_items"])
        for move in self.filtered("billing_completeness_blocking"):
            if move.billing_missing_items:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s is incomplete and its contract "
                        "%(contract)s does not allow incomplete invoices. "
                        "Missing: %(items)s.",
                        invoice=move.display_name,
                        contract=move.billing_contract_id.name,
                        items=", ".join(move.billing_missing_items.splitlines()),
                    )
                )

    def _billing_check_out_of_scope(self):
        for line in self.invoice_line_ids.filtered("billing_out_of_scope"):
            if line.billing_scope_change_id.state != "approved":
                raise UserError(
                    self.env._(
                        "Line “%(line)s” of %(invoice)s is marked out of scope but "
                        "has no approved scope change. Record the extra work as a "
                        "scope change on the contract, get the client's written "
                        "approval and link the change to the line, or untick "
                        "“Out of scope” if the work is part of the contract.",
                        line=line.name or line.product_id.display_name,
                        invoice=line.move_id.display_name,
                    )
                )

    def _billing_check_scope_change_amounts(self):
        """Once these invoices are posted, no scope change may be billed
        beyond the amount the client approved."""
        lines = self.invoice_line_ids.filtered("billing_scope_change_id")
        for change in lines.billing_scope_change_id:
            posted = change.invoice_line_ids.filtered(
                lambda line: line.parent_state == "posted" and line.move_id not in self
            )
            mine = lines.filtered(
                lambda line, c=change: line.billing_scope_change_id == c
            )
            change._check_invoiced_amount(posted | mine)

    def _post(self, soft=True):
        sales = self.filtered(lambda m: m.is_sale_document(include_receipts=True))
        # a credit note gives money back: it needs no approval of the client
        sales.filtered(
            lambda m: m.move_type != "out_refund"
        )._billing_check_out_of_scope()
        sales._billing_check_scope_change_amounts()
        sales._billing_check_complete()
        return super()._post(soft=soft)

    def _billing_work_subtotals(self):
        """Untaxed subtotals of the contract's work and of the approved extra
        work, for the invoice PDF; empty when there is no extra work."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        extra = lines.filtered("billing_out_of_scope")
        if not extra:
            return []
        contract_work = sum((lines - extra).mapped("price_subtotal"))
        return [
            (self.env._("Contract work"), contract_work),
            (self.env._("Approved extra work"), sum(extra.mapped("price_subtotal"))),
        ]

    def action_view_billing_contract(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "billing.contract",
            "res_id": self.billing_contract_id.id,
            "view_mode": "form",
        }
