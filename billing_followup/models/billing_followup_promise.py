from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare, format_amount, format_date

from ..tools import followup_kinds as kinds

OPEN, KEPT, BROKEN, CANCELLED = "open", "kept", "broken", "cancelled"


class BillingFollowupPromise(models.Model):
    """The client promised to pay an amount of some invoices by a date:
    their reminders wait until that date plus the sequence's grace, and the
    run settles the promise (`kept` once paid, `broken` once the grace
    passed), with its own pass."""

    _name = "billing.followup.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread", "billing.followup.mine.mixin"]
    _order = "date, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', "
        "'out_invoice'), ('state', '=', 'posted'), ('amount_residual', '>', 0)]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    date = fields.Date("Promised For", required=True, tracking=True)
    residual_at_promise = fields.Monetary(
        readonly=True, help="What the invoices still owed when promised."
    )
    state = fields.Selection(
        [
            (OPEN, "Open"),
            (KEPT, "Kept"),
            (BROKEN, "Broken"),
            (CANCELLED, "Cancelled"),
        ],
        default=OPEN,
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users", "Recorded By", default=lambda s: s.env.user, readonly=True
    )
    note = fields.Char()

    @api.depends("partner_id", "amount", "date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(customer)s: %(amount)s on %(date)s",
                customer=promise.partner_id.display_name,
                amount=format_amount(self.env, promise.amount, promise.currency_id),
                date=format_date(self.env, promise.date),
            )

    @api.model
    def _open_residual(self, moves):
        """What `moves` still owe, in the company's currency."""
        return sum(moves.mapped("amount_residual_signed"))

    @api.constrains("amount", "date", "move_ids", "state")
    def _check_promise(self):
        today = fields.Date.context_today(self)
        for promise in self.filtered(lambda p: p.state == OPEN):
            name = promise.partner_id.display_name
            if promise.date < today:
                raise ValidationError(
                    self.env._(
                        "A promise of %(name)s to pay on %(date)s is in the past: "
                        "record the date the client gave for the future.",
                        name=name,
                        date=promise.date,
                    )
                )
            residual = self._open_residual(promise.move_ids)
            rounding = promise.currency_id.rounding
            if float_compare(promise.amount, 0, precision_rounding=rounding) <= 0:
                raise ValidationError(
                    self.env._(
                        "A promise of %(name)s must be for an amount.", name=name
                    )
                )
            if float_compare(promise.amount, residual, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s promised %(amount)s, more than the %(open)s its "
                        "invoices still owe.",
                        name=name,
                        amount=promise.amount,
                        open=residual,
                    )
                )
            if promise.move_ids.commercial_partner_id != promise.partner_id:
                raise ValidationError(
                    self.env._(
                        "A promise of %(name)s covers only its own invoices.",
                        name=name,
                    )
                )
            others = self.search_count(
                [
                    ("id", "!=", promise.id),
                    ("state", "=", OPEN),
                    ("move_ids", "in", promise.move_ids.ids),
                ],
                limit=1,
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "An open promise of %(name)s already covers one of these "
                        "invoices: cancel it or wait until it is settled.",
                        name=name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["state"] = OPEN
        promises = super().create(vals_list)
        for promise in promises:
            promise.residual_at_promise = self._open_residual(promise.move_ids)
            promise._billing_log(
                OPEN,
                self.env._(
                    "Promised to pay %(amount)s on %(date)s.",
                    amount=promise.amount,
                    date=promise.date,
                ),
            )
        return promises

    def write(self, vals):
        if "state" in vals and not self.env.context.get("billing_promise_settle"):
            raise UserError(
                self.env._("A promise is settled by the run or cancelled, not edited.")
            )
        if self.filtered(lambda p: p.state != OPEN) and set(vals) - {"note", "state"}:
            raise UserError(self.env._("A settled promise cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        raise UserError(self.env._("Promises are a record: cancel them instead."))

    def action_cancel(self):
        for promise in self.filtered(lambda p: p.state == OPEN):
            promise._settle(CANCELLED, self.env._("Promise cancelled."))

    def _paid(self):
        """What was paid on the invoices since the promise."""
        self.ensure_one()
        return self.residual_at_promise - self._open_residual(self.move_ids)

    def _settle(self, state, note, on=None):
        self.with_context(billing_promise_settle=True).write({"state": state})
        return self._billing_log(state, note, on)

    def _billing_log(self, state, note, on=None):
        # sudo: users only read the ledger; what they did is written for them
        return (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "date": on or fields.Date.context_today(self),
                    "kind": kinds.PROMISE,
                    "key": kinds.promise_key(self.id, state),
                    "move_ids": self.move_ids.ids,
                    "user_id": self.env.uid,
                    "note": note,
                }
            )
        )

    @api.model
    def _open_new(self, partner):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.commercial_partner_id.id},
        }

    # ------------------------------------------------------------------
    # RUN PASS
    # ------------------------------------------------------------------

    @api.model
    def _pass_settle(self, run):
        """Settle the open promises as of the run's date: also those of
        customers with nothing open any more, so not from the candidates."""
        domain = Domain("state", "=", OPEN) & Domain(
            "company_id", "in", self.env.companies.ids
        )
        if run.partners is not None:
            domain &= Domain("partner_id", "in", run.partners.commercial_partner_id.ids)
        groups = self._read_group(domain, ["partner_id", "company_id"])
        keys = sorted((p.id, c.id) for p, c in groups)
        engine = self.env["billing.followup.engine"]
        return engine._in_batches(
            run, keys, lambda ks: self._settle_keys(run, ks), kinds.PROMISE
        )

    @api.model
    def _settle_keys(self, run, keys):
        counts = Counter()
        engine = self.env["billing.followup.engine"]
        promises = self.search(
            Domain("state", "=", OPEN)
            & Domain("partner_id", "in", [p for p, _c in keys])
            & Domain("company_id", "in", [c for _p, c in keys])
        )
        for promise in promises:
            on = run.date or engine._today(promise.company_id)
            policy = promise.partner_id._billing_followup_policy(promise.company_id, on)
            grace = policy.sequence.promise_grace_days
            rounding = promise.currency_id.rounding
            if (
                float_compare(
                    promise._paid(), promise.amount, precision_rounding=rounding
                )
                >= 0
            ):
                promise._settle(KEPT, self.env._("Promise kept: paid."), on)
                counts["promises_kept"] += 1
            elif (on - promise.date).days > grace:
                promise._settle(
                    BROKEN, self.env._("Promise broken: not paid in time."), on
                )
                promise._schedule_broken_activity(engine, on)
                counts["promises_broken"] += 1
        return counts

    def _schedule_broken_activity(self, engine, on):
        """The responsible calls back; the reminders resume on their own."""
        responsible = engine._responsible(self.partner_id, self.company_id)
        # sudo: the activity is for the responsible, whoever runs
        self.partner_id.sudo().activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=on,
            summary=self.env._("Promise to pay broken"),
            note=self.env._(
                "%(name)s promised %(amount)s for %(date)s and did not pay.",
                name=self.partner_id.display_name,
                amount=self.amount,
                date=self.date,
            ),
            user_id=responsible.id,
        )


class BillingFollowupEnginePromises(models.AbstractModel):
    """Adds promise settlement to the run's passes, before the reminders,
    and the promises the decision reads."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (5, "billing.followup.promise", "_pass_settle"),
        ]

    @api.model
    def _moves_promised(self, moves):
        """{invoice id: date of the open promise to pay that covers it}; were
        two open promises to cover one invoice (two users at once), the
        earliest date holds: the reminders resume the soonest."""
        if not moves:
            return {}
        promises = self.env["billing.followup.promise"].search_fetch(
            [("state", "=", "open"), ("move_ids", "in", moves.ids)],
            ["move_ids", "date"],
        )
        promised = {}
        for promise in promises:
            for move in promise.move_ids & moves:
                promised[move.id] = min(
                    promise.date, promised.get(move.id, promise.date)
                )
        return promised
