import base64

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

from ..tools import followup_kinds as kinds
from ..tools import payment_plan as plan_logic

MAX_INSTALMENTS = 12
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class ResPartnerPortalRequests(models.Model):
    """What a client asks from its page, checked here (its own open
    invoices, amounts, dates, a daily limit) and recorded through the same
    models as the back office: a promise, a dispute, a draft plan. The
    controller calls these in sudo on the customer the link names; each
    request is logged as a `portal` event, which the daily limit counts."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # CHECKS
    # ------------------------------------------------------------

    def _billing_portal_check_rate(self, company):
        limit = company.billing_portal_daily_limit
        sent = self.env["billing.followup.event"].search_count(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("kind", "=", kinds.PORTAL),
                ("date", "=", self._billing_portal_today(company)),
            ]
        )
        if sent >= limit:
            raise UserError(
                self.env._(
                    "You have sent us %(count)s requests today, the most this page "
                    "takes in a day. Please try again tomorrow or reply to our "
                    "email: we read every message.",
                    count=sent,
                )
            )

    def _billing_portal_chosen(self, company, move_ids, allow_disputed=False):
        """The invoices chosen on the page, when every one is an open
        invoice of this customer in `company` that can still be acted on."""
        if not move_ids:
            raise UserError(self.env._("Choose at least one invoice."))
        items = {
            item["move"].id: item
            for item in self._billing_portal_items(company)
            if item["payable"] and (allow_disputed or not item["disputed"])
        }
        if set(move_ids) - set(items):
            raise UserError(
                self.env._(
                    "One of the chosen invoices is not open on your account any "
                    "more (paid, being paid or under review): please reload the "
                    "page and choose again."
                )
            )
        return self.env["account.move"].browse(move_ids)

    def _billing_portal_payable(self, company, move_ids):
        """The invoices to pay now: those chosen, else every overdue one."""
        if not company._billing_pays_online():
            raise UserError(
                self.env._(
                    "Online payment is not available: please pay by bank "
                    "transfer, or tell us when you will pay."
                )
            )
        if not move_ids:
            move_ids = [
                item["move"].id
                for item in self._billing_portal_items(company)
                if item["payable"] and item["days_late"]
            ]
        moves = self._billing_portal_chosen(company, move_ids, allow_disputed=True)
        if len(moves.currency_id) > 1:
            raise UserError(
                self.env._("Please pay the invoices of each currency separately.")
            )
        return moves

    def _billing_portal_day(self, company, value, label):
        """A date typed on the page, between today and the company's limit."""
        today = self._billing_portal_today(company)
        until = company._billing_portal_promise_until(today)
        try:
            day = fields.Date.to_date(value or None)
        except ValueError:
            day = None
        if not day or not today <= day <= until:
            raise UserError(
                self.env._(
                    "%(what)s must be a date between %(today)s and %(until)s.",
                    what=label,
                    today=format_date(self.env, today),
                    until=format_date(self.env, until),
                )
            )
        return day

    def _billing_portal_log(self, company, moves, note):
        return self.env["billing.followup.event"].create(
            {
                "partner_id": self.id,
                "company_id": company.id,
                "date": self._billing_portal_today(company),
                "kind": kinds.PORTAL,
                "move_ids": moves.ids,
                "note": note,
            }
        )

    def _billing_portal_notify(self, company, record, summary, note, moves=None):
        """An activity for the customer's responsible: the client is waiting."""
        engine = self.env["billing.followup.engine"]
        record.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self._billing_portal_today(company),
            summary=summary,
            note=note,
            user_id=engine._responsible(self, company, moves).id,
        )

    # ------------------------------------------------------------
    # REQUESTS
    # ------------------------------------------------------------

    def _billing_portal_promise(self, company, move_ids, date, amount, note=None):
        """ "I will pay on…": a promise as an accountant records it."""
        self.ensure_one()
        self._billing_portal_check_rate(company)
        moves = self._billing_portal_chosen(company, move_ids)
        day = self._billing_portal_day(company, date, self.env._("The payment date"))
        try:
            amount = float((amount or "").replace(",", "."))
        except ValueError:
            amount = 0.0
        currency = moves.currency_id[:1]
        if len(moves.currency_id) > 1:
            raise UserError(
                self.env._("Please promise for the invoices of each currency apart.")
            )
        residual = sum(moves.mapped("amount_residual"))
        if currency.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._("Enter the amount you will pay."))
        if currency.compare_amounts(amount, residual) > 0:
            raise UserError(
                self.env._(
                    "You can promise at most %(open)s, what these invoices still owe.",
                    open=format_amount(self.env, residual, currency),
                )
            )
        text = (note or "").strip()[:500]
        promise = self.env["billing.followup.promise"].create(
            {
                "partner_id": self.id,
                "company_id": company.id,
                "move_ids": [Command.set(moves.ids)],
                "amount": amount,
                "date": day,
                "note": text or self.env._("From the client's page"),
            }
        )
        said = self.env._(
            "%(name)s will pay %(amount)s on %(date)s (from its page).",
            name=self.name,
            amount=format_amount(self.env, amount, currency),
            date=format_date(self.env, day),
        )
        self._billing_portal_log(company, moves, said)
        self._billing_portal_notify(
            company, self, self.env._("Promise to pay from the client"), said, moves
        )
        return self.env._(
            "Thank you: we have noted that you will pay %(amount)s on %(date)s.",
            amount=format_amount(self.env, promise.amount, currency),
            date=format_date(self.env, promise.date),
        )

    def _billing_portal_dispute(self, company, move_ids, reason, attachment=None):
        """ "Something is wrong with this invoice": the invoice's dispute."""
        self.ensure_one()
        self._billing_portal_check_rate(company)
        if len(move_ids) != 1:
            raise UserError(self.env._("Choose the invoice that is wrong."))
        move = self._billing_portal_chosen(company, move_ids)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell us what is wrong with the invoice."))
        move._billing_dispute(reason[:2000])
        if attachment:
            self._billing_portal_attach(move, reason, *attachment)
        self._billing_portal_log(
            company,
            move,
            self.env._(
                "%(invoice)s disputed from the client's page.", invoice=move.name
            ),
        )
        return self.env._(
            "Thank you: we will look into %(invoice)s and come back to you. We will "
            "not remind you about it in the meantime.",
            invoice=move.name,
        )

    def _billing_portal_attach(self, move, reason, name, content):
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise UserError(self.env._("The file is too large (10 MB at most)."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "res_model": move._name,
                "res_id": move.id,
            }
        )
        move.message_post(
            body=reason,
            author_id=self.id,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _billing_portal_plan_request(self, company, count, first_date, note=None):
        """ "Can I pay in instalments?": a draft plan marked as requested."""
        self.ensure_one()
        self._billing_portal_check_rate(company)
        try:
            count = int(count or 0)
        except ValueError:
            count = 0
        if not 2 <= count <= MAX_INSTALMENTS:
            raise UserError(
                self.env._(
                    "Choose between 2 and %(most)s instalments.", most=MAX_INSTALMENTS
                )
            )
        first = self._billing_portal_day(
            company, first_date, self.env._("The first instalment")
        )
        Plan = self.env["billing.payment.plan"]
        if Plan.search_count(
            Domain("partner_id", "=", self.id)
            & Domain("company_id", "=", company.id)
            & (
                Domain("state", "=", plan_logic.RUNNING)
                | (
                    Domain("state", "=", "draft")
                    & Domain("billing_requested", "=", True)
                )
            ),
            limit=1,
        ):
            raise UserError(
                self.env._(
                    "You already have a payment plan or a request waiting for our "
                    "answer."
                )
            )
        moves = self.env["account.move"].browse(
            item["move"].id
            for item in self._billing_portal_items(company)
            if item["payable"] and not item["disputed"]
        )
        if not moves:
            raise UserError(self.env._("You have no invoice to spread."))
        if len(moves.currency_id) > 1:
            raise UserError(
                self.env._(
                    "Your invoices are in several currencies: please reply to our "
                    "email and we will agree a plan with you."
                )
            )
        currency = moves.currency_id
        rounding = currency.rounding
        total = round(sum(moves.mapped("amount_residual")) / rounding)
        lines = plan_logic.propose(total, count, first)
        text = (note or "").strip()[:2000]
        plan = Plan.create(
            {
                "partner_id": self.id,
                "company_id": company.id,
                "currency_id": currency.id,
                "move_ids": [Command.set(moves.ids)],
                "billing_requested": True,
                "billing_request_note": text,
                "user_id": self.env["billing.followup.engine"]
                ._responsible(self, company, moves)
                .id,
                "line_ids": [
                    Command.create({"date": day, "amount": units * rounding})
                    for day, units in lines
                ],
            }
        )
        said = self.env._(
            "%(name)s asks to pay %(amount)s in %(count)s instalments from %(date)s.",
            name=self.name,
            amount=format_amount(self.env, total * rounding, currency),
            count=count,
            date=format_date(self.env, first),
        )
        self._billing_portal_log(company, moves, said)
        self._billing_portal_notify(
            company,
            plan,
            self.env._("Instalments requested by the client"),
            said,
            moves,
        )
        return self.env._(
            "Thank you: we have received your request for %(count)s instalments and "
            "will answer you by email shortly.",
            count=count,
        )
