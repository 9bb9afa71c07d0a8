from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import email_normalize

from ..tools import followup_decision

# Who may set a customer's follow-up: not every employee who edits contacts.
FOLLOWUP_GROUP = "billing_followup.billing_followup_group_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    billing_followup_sequence_id = fields.Many2one(
        "billing.followup.sequence",
        "Reminder Sequence",
        company_dependent=True,
        check_company=True,
        help="Leave empty to use the company's default sequence.",
        groups=FOLLOWUP_GROUP,
    )
    billing_invoice_contact_id = fields.Many2one(
        "res.partner",
        "Invoicing Contact",
        domain="[('id', 'child_of', commercial_partner_id)]",
        help="Who receives the reminders; by default the invoice address, "
        "else the customer itself.",
        groups=FOLLOWUP_GROUP,
    )
    billing_responsible_id = fields.Many2one(
        "res.users",
        "Follow-up Responsible",
        company_dependent=True,
        help="Gets the calls and letters to do; by default the company's.",
        groups=FOLLOWUP_GROUP,
    )
    billing_excluded = fields.Boolean(
        "Excluded From Follow-up",
        company_dependent=True,
        help="No reminder of any kind for this customer.",
        groups=FOLLOWUP_GROUP,
    )
    billing_min_interval_days = fields.Integer(
        "Own Minimum Days Between Messages",
        help="0 uses the sequence's minimum.",
        groups=FOLLOWUP_GROUP,
    )
    billing_min_interval_effective = fields.Integer(
        "Minimum Days in Force",
        compute="_compute_billing_min_interval_effective",
        help="The customer's own minimum, else its sequence's.",
    )
    billing_no_send_weekday_ids = fields.Many2many(
        "billing.followup.weekday",
        string="Weekdays Without Messages",
        help="Days of the week when nothing is sent to this customer.",
        groups=FOLLOWUP_GROUP,
    )
    billing_late_fee_policy_id = fields.Many2one(
        "billing.late.fee.policy",
        "Late Fee Policy",
        company_dependent=True,
        help="Empty: the policy of the customer's reminder sequence. A contract's "
        "policy prevails for the contract's invoices.",
        groups=FOLLOWUP_GROUP,
    )
    billing_stage_id = fields.Many2one(
        "billing.followup.stage",
        "Follow-up Stage",
        company_dependent=True,
        groups=FOLLOWUP_GROUP,
    )
    billing_credit_hold = fields.Boolean(
        "Credit Hold",
        compute="_compute_billing_credit_hold",
        help="Set by the customer's follow-up stage.",
    )
    billing_followup_event_ids = fields.One2many(
        "billing.followup.event", "partner_id", "Follow-up History"
    )
    billing_email_problem = fields.Char(
        "Email Problem", compute="_compute_billing_email_problem"
    )
    billing_to_follow = fields.Boolean(
        "Has Open Items",
        compute="_compute_billing_followup_status",
        search="_search_billing_to_follow",
    )
    billing_overdue_amount = fields.Monetary(
        "Overdue",
        compute="_compute_billing_followup_status",
        currency_field="billing_currency_id",
    )
    billing_currency_id = fields.Many2one(
        "res.currency", compute="_compute_billing_followup_status"
    )
    billing_oldest_days_late = fields.Integer(
        "Oldest Days Late", compute="_compute_billing_followup_status"
    )
    billing_next_action = fields.Char(
        "Next Action", compute="_compute_billing_followup_status"
    )
    billing_next_date = fields.Date(
        "Next Action Date", compute="_compute_billing_followup_status"
    )

    billing_personal_note = fields.Text(
        string="Personal note on invoices",
        help="A personal word printed on this customer's invoices (thanks, "
        "congratulations) unless the contract has its own.",
        groups=FOLLOWUP_GROUP,
    )
    billing_contract_ids = fields.One2many(
        "billing.contract", "commercial_partner_id", string="Billing contracts"
    )
    billing_contract_count = fields.Integer(compute="_compute_billing_contract_count")

    @api.depends("billing_stage_id.credit_hold")
    @api.depends_context("company")
    def _compute_billing_credit_hold(self):
        for partner in self:
            # sudo: everyone dealing with the customer sees the hold, not the stage
            partner.billing_credit_hold = partner.sudo().billing_stage_id.credit_hold

    @api.depends("billing_min_interval_days")
    @api.depends_context("company")
    def _compute_billing_min_interval_effective(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        for partner in self:
            # sudo: the rule in force is shown to whoever sees the customer
            policy = partner.sudo()._billing_followup_policy(company, today)
            partner.billing_min_interval_effective = policy.settings.min_interval

    @api.depends_context("company")
    def _compute_billing_followup_status(self):
        """Overdue total, oldest days late and the next action of the
        look-ahead, for the current company, in a few queries per page."""
        company = self.env.company
        engine = self.env["billing.followup.engine"].with_company(company)
        today = engine._today()
        partners = self.commercial_partner_id
        groups = self.env["account.move.line"]._read_group(
            engine._open_line_domain()
            & Domain("company_id", "=", company.id)
            & Domain("partner_id", "in", partners.ids)
            & Domain("date_maturity", "<", today),
            ["partner_id"],
            ["amount_residual:sum", "date_maturity:min"],
        )
        overdue = {p: (amount, oldest) for p, amount, oldest in groups}
        forecast = {}
        for partner, _company, on, action, _seq in engine.with_context(
            allowed_company_ids=company.ids
        )._look_ahead(today, 30, partners):
            forecast.setdefault(partner, (on, action))
        steps = self.env["billing.followup.step"].browse(
            {a.step_id for _on, a in forecast.values()}
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            amount, oldest = overdue.get(commercial, (0.0, None))
            on, action = forecast.get(commercial, (False, None))
            partner.billing_to_follow = commercial in overdue or bool(action)
            partner.billing_overdue_amount = amount
            partner.billing_currency_id = company.currency_id
            partner.billing_oldest_days_late = oldest and (today - oldest).days
            partner.billing_next_date = on
            partner.billing_next_action = action and steps.browse(action.step_id).name

    def _search_billing_to_follow(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        engine = self.env["billing.followup.engine"]
        groups = self.env["account.move.line"]._read_group(
            engine._open_line_domain(), ["partner_id"]
        )
        ids = [partner.id for [partner] in groups]
        positive = (operator == "=") == value
        return Domain("id", "in" if positive else "not in", ids)

    def _billing_contact(self):
        """The invoicing contact reminders go to; one moved to another
        company since it was chosen is not used."""
        self.ensure_one()
        partner = self.commercial_partner_id
        invoice_children = partner.child_ids.filtered(lambda c: c.type == "invoice")
        chosen = partner.billing_invoice_contact_id.filtered(
            lambda c: c.commercial_partner_id == partner
        )
        return chosen or invoice_children[:1] or partner

    @api.constrains("billing_invoice_contact_id")
    def _check_billing_invoice_contact(self):
        """Reminders and invoices go to this contact: it must be one of the
        customer's own, whatever a form's domain let through."""
        # sudo: the check must see the contact even if the user cannot read it
        for partner in self.sudo():
            contact = partner.billing_invoice_contact_id
            if (
                contact
                and contact.commercial_partner_id != partner.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(contact)s cannot be the invoicing contact of "
                        "%(customer)s: choose one of %(customer)s's own contacts.",
                        contact=contact.display_name,
                        customer=partner.commercial_partner_id.display_name,
                    )
                )

    @api.depends(
        "billing_invoice_contact_id.email", "child_ids.email", "email", "message_bounce"
    )
    def _compute_billing_email_problem(self):
        contacts = {partner: partner._billing_contact() for partner in self}
        for partner, contact in contacts.items():
            partner.billing_email_problem = contact._billing_email_problem_text()

    def _billing_email_problem_text(self):
        """Why an email to this contact would not arrive, or False."""
        self.ensure_one()
        if not self.email:
            return self.env._("%(name)s has no email address", name=self.name)
        if not email_normalize(self.email):
            return self.env._(
                "%(name)s has a malformed email address: %(email)s",
                name=self.name,
                email=self.email,
            )
        # sudo: the blacklist flag is reserved to internal users
        if self.sudo().is_blacklisted:
            return self.env._("%(email)s is blacklisted", email=self.email)
        if self.message_bounce:
            return self.env._("Emails to %(email)s bounce", email=self.email)
        return False

    def _message_post_after_hook(self, new_message, message_values):
        """A message sent by hand to the customer counts as a contact; a
        client's emailed reply to a follow-up email is logged."""
        self.env["billing.followup.event"]._log_manual_contact(self, new_message)
        self.env["billing.followup.event"]._billing_log_reply(new_message)
        return super()._message_post_after_hook(new_message, message_values)

    @api.depends("billing_contract_ids")
    def _compute_billing_contract_count(self):
        for partner in self:
            partner.billing_contract_count = len(
                partner.commercial_partner_id.billing_contract_ids
            )

    def _billing_contract_sequence(self, company, date):
        """Reminder sequence of the customer's signed contract in force on
        `date` in `company` (the most recent one), if it sets one."""
        self.ensure_one()
        contracts = self.commercial_partner_id.billing_contract_ids.filtered(
            lambda c: c.company_id == company
            and c.state == "signed"
            and c.followup_sequence_id
            and c.date_start <= date
            and (not c.date_end or c.date_end >= date)
        )
        return contracts.sorted("date_start", reverse=True)[:1].followup_sequence_id

    def _billing_followup_policy(self, company, date):
        """The follow-up rules in force for this customer in `company` on
        `date`: the sequence of its signed contract in force that day, else
        its own, else the one of the first rule it meets, else the company's
        default; archived sequences are skipped.
        The late fee policy: the customer's, else its sequence's (a contract's
        policy is the invoice's: see `Item.fee_policy`)."""
        self.ensure_one()
        partner = self.with_company(company)
        sources = (
            ("contract", lambda: partner._billing_contract_sequence(company, date)),
            ("customer", lambda: partner.billing_followup_sequence_id),
            (
                "rule",
                lambda: partner._billing_followup_rule(
                    company, date
                ).followup_sequence_id,
            ),
            ("company", lambda: company.billing_followup_sequence_id),
        )
        source, sequence = "none", self.env["billing.followup.sequence"]
        for name, get in sources:
            if (found := get()).active:
                source, sequence = name, found
                break
        stage = partner.billing_stage_id
        fee_policy = partner.billing_late_fee_policy_id or (
            sequence.late_fee_policy_id.filtered(lambda p: p.company_id == company)
        )
        allowed = set(sequence.send_weekday_ids.mapped("number")) or set(range(7))
        blocked = set(partner.billing_no_send_weekday_ids.mapped("number"))
        return followup_decision.Policy(
            sequence=sequence,
            source=source,
            settings=followup_decision.Settings(
                steps=self._billing_policy_steps(sequence, stage),
                fee_policy=fee_policy.id if fee_policy.active else 0,
                min_interval=partner.billing_min_interval_days
                or sequence.min_interval_days,
                excluded=partner.billing_excluded or not sequence,
                other_module=partner._billing_reminded_elsewhere(company),
                blocked_weekdays=frozenset(blocked | (set(range(7)) - allowed)),
                manual_stage=partner.billing_stage_manual,
                handed_over=stage.is_last_resort,
                # the final notice states its deadline with the same days
                notice_days=sequence.min_interval_days or 1,
                **partner._billing_payday_settings(sequence),
            ),
        )

    @api.model
    def _billing_policy_steps(self, sequence, stage):
        """The ladder of `sequence` as the decision reads it for a customer
        at `stage`: the same for all such customers, so built once per batch
        when the context carries a `billing_policy_steps` dict."""
        memo = self.env.context.get("billing_policy_steps")
        key = (sequence.id, stage.id)
        if memo is not None and key in memo:
            return memo[key]
        steps = tuple(
            followup_decision.Step(
                s.id,
                s.offset_days,
                fee=s.apply_late_fee,
                approval=s.stage_id.needs_approval and s.stage_id != stage,
                severe=s.stage_id.credit_hold or s.stage_id.is_last_resort,
                sends=s.send_email or s.print_letter,
            )
            for s in sequence.step_ids
        )
        if memo is not None:
            memo[key] = steps
        return steps

    def _billing_reminded_elsewhere(self, company):
        """Whether another installed follow-up module reminds this customer
        in `company` while the company lets that module send; its fields
        are used when present, else every customer counts as reminded."""
        modules = company._billing_other_followup_modules()
        if not modules or company.billing_coexistence == "this":
            return False
        # sudo: the other module's fields may be reserved to its own groups
        partner, company = self.with_company(company).sudo(), company.sudo()
        if "account_followup" in modules and (
            "followup_reminder_type" not in partner._fields
            or partner.followup_reminder_type != "manual"
        ):
            return True
        return "account_credit_control" in modules and (
            "credit_policy_id" not in partner._fields
            or bool(partner.credit_policy_id or company.credit_policy_id)
        )

    def action_view_billing_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_contract_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action
