from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare

from ..tools import followup_kinds as kinds
from ..tools import payment_plan as plan_logic

MANAGER = "billing_followup.billing_followup_group_manager"


class BillingPaymentPlan(models.Model):
    """Instalments agreed with a customer for an overdue balance. While it
    runs, its invoices leave the reminder ladder (the decision reads them as
    `planned` items) and the plan's own messages speak about instalments;
    the engine's run settles it (`_pass_settle_plans`) before deciding."""

    _name = "billing.payment.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    move_ids = fields.Many2many(
        "account.move",
        "billing_payment_plan_move_rel",
        string="Invoices",
        check_company=True,
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    )
    line_ids = fields.One2many("billing.payment.plan.line", "plan_id", "Instalments")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            (plan_logic.RUNNING, "Running"),
            (plan_logic.DONE, "Done"),
            (plan_logic.BROKEN, "Broken"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    tolerance_days = fields.Integer(
        default=5,
        help="Days an instalment may be late before the plan is broken.",
    )
    heads_up_days = fields.Integer(
        default=3, help="Days before each instalment the customer is reminded."
    )
    amount_total = fields.Monetary(
        "Planned Amount",
        readonly=True,
        copy=False,
        help="The open amount of the invoices when the plan started.",
    )
    amount_paid = fields.Monetary(readonly=True, copy=False)
    date_broken = fields.Date(
        "Broken On",
        readonly=True,
        copy=False,
        help="Late fees on the plan's invoices count from this day on only.",
    )
    user_id = fields.Many2one(
        "res.users", "Responsible", default=lambda self: self.env.user
    )
    agreement_date = fields.Date(tracking=True, copy=False)
    agreement_user_id = fields.Many2one("res.users", "Agreed By", copy=False)
    agreement_channel = fields.Selection(
        [("email", "Email"), ("call", "Phone Call"), ("signed", "Signed PDF")],
        "Agreed Through",
        copy=False,
    )
    agreement_attachment_id = fields.Many2one(
        "ir.attachment", "Signed Agreement", copy=False
    )

    _one_running = models.UniqueIndex(
        f"(partner_id, company_id) WHERE state = '{plan_logic.RUNNING}'",
        "This customer already has a running payment plan in this company.",
    )

    @api.depends("partner_id", "line_ids.date")
    def _compute_display_name(self):
        for plan in self:
            first = plan.line_ids[:1].date
            plan.display_name = self.env._(
                "Payment plan of %(customer)s from %(date)s",
                customer=plan.partner_id.name or "",
                date=first or "",
            )

    @api.constrains("partner_id", "move_ids")
    def _check_moves_partner(self):
        for plan in self:
            others = plan.move_ids.commercial_partner_id - plan.partner_id
            if others:
                raise ValidationError(
                    self.env._(
                        "The plan of %(customer)s lists invoices of %(others)s: "
                        "a plan covers one customer's invoices only.",
                        customer=plan.partner_id.name,
                        others=", ".join(others.mapped("name")),
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _open_residual(self):
        """The plan's invoices' open amount, in the plan's currency."""
        self.ensure_one()
        return sum(self.move_ids.mapped("amount_residual"))

    def _check_startable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft plan can be started."))
        if not self.move_ids or not self.line_ids:
            raise UserError(
                self.env._("A plan needs invoices and at least one instalment.")
            )
        if self.move_ids.currency_id != self.currency_id:
            raise UserError(
                self.env._(
                    "The plan's invoices must all be in %(currency)s.",
                    currency=self.currency_id.name,
                )
            )
        today = fields.Date.context_today(self)
        if any(line.date < today for line in self.line_ids):
            raise UserError(self.env._("An instalment cannot be before today."))
        planned = sum(self.line_ids.mapped("amount"))
        residual = self._open_residual()
        if self.currency_id.compare_amounts(planned, residual):
            raise UserError(
                self.env._(
                    "The instalments add up to %(planned)s but the invoices' open "
                    "amount is %(open)s: they must match.",
                    planned=planned,
                    open=residual,
                )
            )
        running = self.search_count(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", plan_logic.RUNNING),
            ],
            limit=1,
        )
        if running:
            raise UserError(
                self.env._(
                    "%(customer)s already has a running payment plan: finish or "
                    "cancel it first.",
                    customer=self.partner_id.name,
                )
            )
        self._check_second_plan_for_contract()

    def _check_second_plan_for_contract(self):
        """A contract's client gets one plan; another one is a manager's call."""
        contracts = self.move_ids.billing_contract_id
        if not contracts or self.env.user.has_group(MANAGER):
            return
        earlier = self.search_count(
            [
                ("id", "!=", self.id),
                ("state", "not in", ("draft", "cancelled")),
                ("move_ids.billing_contract_id", "in", contracts.ids),
            ],
            limit=1,
        )
        if earlier:
            raise UserError(
                self.env._(
                    "The contract already had a payment plan: only a follow-up "
                    "manager can start a second one."
                )
            )

    def action_start(self):
        """Start the plan: its invoices leave the reminder ladder."""
        for plan in self:
            plan._check_startable()
            plan.write(
                {
                    "state": plan_logic.RUNNING,
                    "amount_total": plan._open_residual(),
                    "amount_paid": 0.0,
                    "agreement_date": plan.agreement_date
                    or fields.Date.context_today(plan),
                    "agreement_user_id": plan.agreement_user_id.id or self.env.user.id,
                }
            )
        return True

    def action_cancel(self):
        self.filtered(
            lambda p: p.state in ("draft", plan_logic.RUNNING)
        ).state = "cancelled"
        return True

    def action_print(self):
        return self.env.ref(
            "billing_followup.action_report_payment_plan"
        ).report_action(self)

    # ------------------------------------------------------------
    # ENGINE
    # ------------------------------------------------------------

    def _instalments(self):
        return [(line.date, line.amount_units) for line in self.line_ids]

    def _settle(self, on):
        """Allocate what was paid to the instalments as of `on` and set
        the states; the plan's new state."""
        self.ensure_one()
        paid = self.amount_total - self._open_residual()
        units = round(paid / self.currency_id.rounding)
        settled = plan_logic.settle(self._instalments(), units, on, self.tolerance_days)
        for line, state in zip(self.line_ids, settled.line_states, strict=True):
            if line.state != state:
                line.state = state
        if float_compare(self.amount_paid, paid, precision_rounding=0.0001):
            self.amount_paid = paid
        if settled.state != self.state:
            self.state = settled.state
            if settled.state == plan_logic.BROKEN:
                self.date_broken = on
                self._on_broken(on)
        return settled

    def _on_broken(self, on):
        """The ladder resumes (the invoices are not planned any more); the
        responsible is told to call the customer."""
        self.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=on,
            summary=self.env._("Payment plan broken"),
            note=self.env._(
                "An instalment is late beyond the plan's tolerance: the reminders "
                "resumed. Call the customer."
            ),
            user_id=(self.user_id or self.env.user).id,
        )

    @api.model
    def _running_keys(self, run):
        """Sorted (partner id, company id) of the run's running plans."""
        domain = Domain("state", "=", plan_logic.RUNNING) & Domain(
            "company_id", "in", self.env.companies.ids
        )
        if run.partners is not None:
            domain &= Domain("partner_id", "in", run.partners.commercial_partner_id.ids)
        # plans of every user's customers
        plans = self.sudo().search_fetch(domain, ["partner_id", "company_id"])
        return sorted({(p.partner_id.id, p.company_id.id) for p in plans})

    @api.model
    def _running_plan(self, key):
        partner_id, company_id = key
        return self.search(
            [
                ("partner_id", "=", partner_id),
                ("company_id", "=", company_id),
                ("state", "=", plan_logic.RUNNING),
            ],
            limit=1,
        )

    @api.model
    def _pass_settle_plans(self, run):
        """Settle the running plans as of the run's date, before the run
        decides: a plan broken today puts its invoices back on the ladder
        in this very run."""
        engine = self.env["billing.followup.engine"]
        counts = Counter(plans_done=0, plans_broken=0)

        def work(keys):
            settled = Counter()
            for key in keys:
                on = run.date or engine._today(self.env["res.company"].browse(key[1]))
                state = self.sudo()._running_plan(key)._settle(on).state
                if state != plan_logic.RUNNING:
                    settled[f"plans_{state}"] += 1
            return settled

        counts.update(engine._in_batches(run, self._running_keys(run), work))
        return counts

    @api.model
    def _pass_plan_reminders(self, run):
        """The plans' own small sequence: a heads-up before each instalment,
        a reminder once one is missed, each once (the event's key)."""
        engine = self.env["billing.followup.engine"]
        counts = Counter({kinds.COUNT_KEYS[kinds.PLAN]: 0})

        def work(keys):
            return self.sudo()._remind_batch(run, keys)

        keys = self._running_keys(run)
        counts.update(engine._in_batches(run, keys, work, kinds.PLAN))
        return counts

    @api.model
    def _remind_batch(self, run, keys):
        engine = self.env["billing.followup.engine"]
        vals_list = []
        for key in keys:
            on = run.date or engine._today(self.env["res.company"].browse(key[1]))
            plan = self._running_plan(key)
            settled = plan_logic.settle(
                plan._instalments(),
                round(plan.amount_paid / plan.currency_id.rounding),
                on,
                plan.tolerance_days,
            )
            vals = plan._reminder_values(settled, on)
            if vals:
                vals_list.append(vals)
        Event = self.env["billing.followup.event"]
        done = set(
            Event.search_fetch(
                [("key", "in", [v["key"] for v in vals_list])], ["key"]
            ).mapped("key")
        )
        events = Event.create([v for v in vals_list if v["key"] not in done])
        engine._perform(events)
        return Counter({kinds.COUNT_KEYS[kinds.PLAN]: len(events)})

    def _reminder_values(self, settled, on):
        """Event values of the message due about the next instalment (a
        heads-up before it, a reminder once missed), or None."""
        found = plan_logic.next_unpaid(self._instalments(), settled.line_states)
        if found is None:
            return None
        index, due = found
        what = plan_logic.reminder_due(due, on, self.heads_up_days)
        contact = self.partner_id._billing_contact()
        if not what or contact._billing_email_problem_text():
            return None
        line = self.line_ids[index]
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "date": on,
            "kind": kinds.PLAN,
            "key": kinds.plan_key(self.id, line.id, what),
            "billing_plan_line_id": line.id,
            "move_ids": [(6, 0, self.move_ids.ids)],
            "contact_id": contact.id,
        }
