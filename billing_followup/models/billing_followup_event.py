from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import followup_kinds as kinds


class BillingFollowupEvent(models.Model):
    """Append-only log of every follow-up touch, and the idempotence ledger.

    An event that must happen once carries a natural `key` (a reminder step:
    "step:<step id>:<cycle>:<kind>", a thank-you: "thanks:<cycle>"); the
    unique index on (customer, company, key) makes a second one impossible,
    whatever the number of runs or workers.
    """

    _name = "billing.followup.event"
    _description = "Follow-up Event"
    _inherit = ["billing.followup.message.mixin", "billing.followup.mine.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # restrict: a ledger outlives nothing it is about (partner merges move it)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="restrict"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [
            (kinds.EMAIL, "Email"),
            (kinds.ACTIVITY, "Activity"),
            (kinds.LETTER, "Letter"),
            (kinds.STAGE, "Stage Change"),
            (kinds.FEE, "Fee"),
            (kinds.THANKS, "Thank-you"),
            (kinds.MANUAL, "Manual Contact"),
            (kinds.CALL, "Call"),
            (kinds.PROMISE, "Promise to Pay"),
            (kinds.DISPUTE, "Dispute"),
            (kinds.PAUSE, "Pause"),
            (kinds.HANDOVER, "Hand-over"),
            (kinds.PLAN, "Payment Plan Message"),
            (kinds.LOYALTY, "Loyalty Credit"),
            (kinds.REPLY, "Client Reply"),
            (kinds.REPLY_HANDLED, "Reply Handled"),
            (kinds.STATEMENT, "Monthly Statement"),
            (kinds.PORTAL, "Client's Page Request"),
        ],
        required=True,
    )
    state = fields.Selection(
        [
            (kinds.TO_REVIEW, "To Review"),
            (kinds.TO_APPROVE, "To Approve"),
            (kinds.DONE, "Done"),
            (kinds.FAILED, "Failed"),
            (kinds.CANCELLED, "Cancelled"),
        ],
        required=True,
        default=kinds.DONE,
        index=True,
    )
    step_id = fields.Many2one(
        "billing.followup.step", ondelete="restrict", check_company=True
    )
    stage_id = fields.Many2one("billing.followup.stage")
    stage_from_id = fields.Many2one(
        "billing.followup.stage", "From Stage", help="The stage the customer left."
    )
    cycle_date = fields.Date(
        help="Due date of the oldest item the step was about: with the customer "
        "and the step, it names the dunning cycle acted on once."
    )
    line_ids = fields.Many2many(
        "account.move.line",
        "billing_followup_event_line_rel",
        string="Listed Items",
        help="Every open item the message listed.",
    )
    reminded_line_ids = fields.Many2many(
        "account.move.line",
        "billing_followup_event_reminded_line_rel",
        string="Reminded Items",
        help="The items this step was about; they count as reminded at it.",
    )
    move_ids = fields.Many2many("account.move", string="Invoices")
    contact_id = fields.Many2one("res.partner", "Recipient")
    mail_id = fields.Many2one("mail.mail", "Email", ondelete="set null", index=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    user_id = fields.Many2one("res.users", "By", default=lambda self: self.env.user)
    note = fields.Char()
    billing_plan_line_id = fields.Many2one(
        "billing.payment.plan.line",
        "Instalment",
        ondelete="set null",
        help="The payment plan instalment this message is about.",
    )
    key = fields.Char(
        "Natural Key",
        readonly=True,
        copy=False,
        help="What this event is, once per customer and company (e.g. a "
        "reminder step in a dunning cycle); empty for events that may repeat.",
    )

    _key_unique = models.UniqueIndex(
        "(partner_id, company_id, key) WHERE key IS NOT NULL",
        "This was already done for this customer.",
    )

    @api.depends("partner_id", "step_id", "kind", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """Customer, step (else kind) and date: what a user calls an event."""
        kind_labels = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = " - ".join(
                part
                for part in (
                    event.partner_id.display_name,
                    event.step_id.name or kind_labels.get(event.kind),
                    event.date and format_date(self.env, event.date),
                )
                if part
            )

    def _billing_loyalty_earned(self):
        """The customer's next contract invoice carries a loyalty credit
        (said in the thank-you note)."""
        self.ensure_one()
        streak = self.env["billing.loyalty"]._streak(
            self.partner_id, self.company_id, self.date
        )
        return bool(streak) and bool(self.company_id.billing_loyalty_product_id)

    def init(self):
        """Key the events recorded before the key existed (idempotent)."""
        super().init()
        self._billing_fill_keys()

    @api.model
    def _billing_fill_keys(self):
        """Give reminder and thank-you events without a key the key the
        engine writes today (one thank-you per cycle: the first one)."""
        self.env.execute_query(
            SQL(
                """UPDATE billing_followup_event
                      SET key = 'step:' || step_id || ':'
                                || to_char(cycle_date, 'YYYY-MM-DD') || ':' || kind
                    WHERE key IS NULL AND step_id IS NOT NULL
                      AND cycle_date IS NOT NULL AND kind != %(thanks)s""",
                thanks=kinds.THANKS,
            )
        )
        self.env.execute_query(
            SQL(
                """UPDATE billing_followup_event event
                      SET key = 'thanks:' || to_char(cycle_date, 'YYYY-MM-DD')
                    WHERE key IS NULL AND kind = %(thanks)s
                      AND cycle_date IS NOT NULL
                      AND NOT EXISTS (
                          SELECT 1 FROM billing_followup_event other
                           WHERE other.kind = %(thanks)s
                             AND other.partner_id = event.partner_id
                             AND other.company_id = event.company_id
                             AND other.cycle_date = event.cycle_date
                             AND (other.key IS NOT NULL OR other.id < event.id))""",
                thanks=kinds.THANKS,
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ledger(self):
        raise UserError(
            self.env._("Follow-up events are a log: cancel them, do not delete them.")
        )

    def write(self, vals):
        """Only the outcome of an event changes; what happened stays. An
        event waiting for review has not happened: its items may shrink, and
        its date and author are those of the review."""
        allowed = {"state", "note", "mail_id", "activity_id"}
        if all(event.state in kinds.WAITING_STATES for event in self):
            allowed |= {"line_ids", "reminded_line_ids", "move_ids", "date", "user_id"}
        if set(vals) - allowed:
            raise UserError(
                self.env._("Follow-up events are a log: they cannot be rewritten.")
            )
        return super().write(vals)

    def action_send(self):
        """Review list: perform the waiting actions now."""
        waiting = self._billing_waiting()
        if not waiting:
            raise UserError(self.env._("Only events waiting for review can be sent."))
        # users only read the ledger; the reviewed outcome is written for them
        waiting = waiting.sudo()._billing_drop_settled()
        waiting.write(
            {
                "state": kinds.DONE,
                "date": fields.Date.context_today(self),
                "user_id": self.env.uid,
            }
        )
        self.env["billing.followup.engine"]._perform(waiting)
        return True

    def _billing_drop_settled(self):
        """Items paid since the review are dropped; an event with none of its
        items left is withdrawn. Returns the events still to send."""
        settled = self.env["billing.followup.event"]
        for event in self:
            open_lines = event.line_ids.filtered(
                lambda ln: not self._billing_settled(ln)
            )
            reminded = event.reminded_line_ids & open_lines
            if not reminded:
                settled |= event
                continue
            if open_lines != event.line_ids:
                event.write(
                    {
                        "line_ids": [Command.set(open_lines.ids)],
                        "reminded_line_ids": [Command.set(reminded.ids)],
                        "move_ids": [Command.set(open_lines.move_id.ids)],
                    }
                )
        settled._billing_withdraw(self.env._("Paid since the review: not sent."))
        return self - settled

    @api.model
    def _billing_settled(self, line):
        """The line is paid, or its payment is registered and on its way."""
        return line.reconciled or line.move_id.payment_state == "in_payment"

    def _billing_withdraw(self, note):
        """Cancel events that never reached the customer and release their
        step's key (a key of their own instead): they do not count as done,
        so if the payment that made them pointless fails, the step goes out
        again."""
        if not self:
            return
        # the key is the ledger's identity, not writable through write()
        self.env.execute_query(
            SQL(
                "UPDATE billing_followup_event SET key = %s || id WHERE id IN %s",
                f"{kinds.WITHDRAWN}:",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["key"])
        self.write({"state": kinds.CANCELLED, "note": note})

    def action_skip(self):
        waiting = self._billing_waiting()
        if not waiting:
            raise UserError(
                self.env._("Only events waiting for review can be skipped.")
            )
        # users only read the ledger; the reviewed outcome is written for them
        waiting.sudo().write(
            {
                "state": kinds.CANCELLED,
                "note": self.env._("Skipped in review"),
                "user_id": self.env.uid,
            }
        )
        return True

    def _billing_waiting(self):
        """The events of `self` waiting for review, once the user may see
        them and they are about their own customer only."""
        self.check_access("read")
        waiting = self.filtered(lambda e: e.state == kinds.TO_REVIEW)
        waiting._billing_check_own_customer()
        return waiting

    def _billing_check_own_customer(self):
        """Refuse an event whose items, invoices or recipient belong to
        another customer or company: nobody mails one customer's invoices
        to another."""
        # sudo: the check must see every item, also those the user cannot read
        for event in self.sudo():
            partner, company = event.partner_id, event.company_id
            moves = (event.line_ids | event.reminded_line_ids).move_id | event.move_ids
            strangers = moves.filtered(
                lambda m, p=partner, c=company: m.commercial_partner_id != p
                or m.company_id != c
            )
            if strangers:
                raise UserError(
                    self.env._(
                        "%(invoices)s do not belong to %(customer)s in "
                        "%(company)s: this follow-up cannot be sent or skipped.",
                        invoices=", ".join(strangers.mapped("display_name")),
                        customer=partner.display_name,
                        company=company.display_name,
                    )
                )
            contact = event.contact_id
            if contact and contact.commercial_partner_id != partner:
                raise UserError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: this "
                        "follow-up cannot be sent or skipped.",
                        contact=contact.display_name,
                        customer=partner.display_name,
                    )
                )

    def action_print_letter(self):
        return self.env.ref(
            "billing_followup.action_report_followup_letter"
        ).report_action(self)

    # Helpers for the templates and reports -------------------------------

    def _billing_items(self):
        """Listed items as dicts for the message table, oldest first."""
        self.ensure_one()
        items = []
        for line in self.line_ids.sorted(
            lambda ln: (ln.date_maturity or ln.date, ln.id)
        ):
            move = line.move_id
            due = line.date_maturity or line.date
            currency = line.currency_id
            # Odoo's own rule: not after a payment, not after the discount date
            discount = (
                line.discount_date
                and move._is_eligible_for_early_payment_discount(currency, self.date)
            )
            items.append(
                {
                    "number": move.name,
                    "date": move.invoice_date or line.date,
                    "due": due,
                    "days_late": max((self.date - due).days, 0),
                    "amount": line.amount_residual_currency,
                    "currency": currency,
                    "discount_date": discount and line.discount_date,
                    "discount_amount": discount and line.discount_amount_currency,
                    "discount_saving": discount
                    and line.amount_residual_currency - line.discount_amount_currency,
                    "reference": move.payment_reference or move.name,
                    "pay_url": move.is_sale_document()
                    and self.company_id._billing_pays_online()
                    and move.get_base_url() + move.get_portal_url(),
                }
            )
        return items

    def _billing_bank_accounts(self):
        return self.company_id.partner_id.bank_ids.mapped("display_name")

    def _billing_contact_person(self):
        """Who the customer can talk to: its follow-up responsible."""
        self.ensure_one()
        user = (
            self.partner_id.billing_responsible_id
            or self.company_id.billing_responsible_id
        )
        return user.partner_id or self.company_id.partner_id

    @api.model
    def _log_manual_contact(self, records, message):
        """Record a message sent by hand to a customer as a contact, so the
        minimum interval counts it like an automatic reminder."""
        if (
            self.env.context.get("billing_followup_engine")
            or message.message_type != "comment"
            or message.subtype_id.internal
        ):
            return self
        customers = message.partner_ids.commercial_partner_id
        vals_list = []
        for record in records:
            if record._name == "account.move":
                partner, company = record.commercial_partner_id, record.company_id
                if not record.is_sale_document():
                    continue
            else:
                partner, company = record.commercial_partner_id, self.env.company
            if partner in customers:
                vals_list.append(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "kind": kinds.MANUAL,
                        "move_ids": record._name == "account.move" and record.ids,
                        "contact_id": (message.partner_ids & partner.child_ids)[:1].id
                        or partner.id,
                        "note": message.subject or self.env._("Message sent by hand"),
                    }
                )
        # sudo: whoever writes to a customer logs the contact, users cannot
        return self.sudo().create(vals_list)
