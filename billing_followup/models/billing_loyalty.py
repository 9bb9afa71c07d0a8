from odoo import Command, api, fields, models
from odoo.fields import Domain

from ..tools import followup_kinds as kinds
from ..tools import loyalty

LINE, CREDIT_NOTE = "line", "credit_note"


class BillingLoyalty(models.AbstractModel):
    """Loyalty credit: a customer whose last invoices (company setting
    `billing_loyalty_streak`) were paid on time, with nothing overdue, earns
    a credit on its next customer invoice when it is posted, whatever made
    it: a line on it, or a credit note against it; once per run of invoices
    (the event's key)."""

    _name = "billing.loyalty"
    _description = "Loyalty Credit"

    @api.model
    def _granted_moves(self, partner, company):
        """The invoices of the runs already credited."""
        # the ledger is read for the contract's user too
        return (
            self.env["billing.followup.event"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("kind", "=", kinds.LOYALTY),
                ]
            )
            .move_ids
        )

    @api.model
    def _has_overdue(self, partner, company, on):
        domain = self.env["billing.followup.engine"]._open_line_domain() & Domain(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("date_maturity", "<", on),
                ("amount_residual", ">", 0),
            ]
        )
        return bool(self.env["account.move.line"].search_count(domain, limit=1))

    @api.model
    def _paid_date(self, move):
        """When the invoice's last payment was matched, or registered for a
        payment without journal entry (None if none)."""
        lines = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        dates = lines.matched_credit_ids.mapped("max_date")
        dates += move.matched_payment_ids.mapped("date")
        return max(dates, default=None)

    @api.model
    def _streak(self, partner, company, on=None):
        """The invoices of the customer's earned streak, newest first; empty
        when not earned (too few on time, or anything overdue)."""
        partner = partner.commercial_partner_id
        size = company.billing_loyalty_streak
        on = on or fields.Date.context_today(self)
        Move = self.env["account.move"]
        if size <= 0 or self._has_overdue(partner, company, on):
            return Move
        granted = self._granted_moves(partner, company)
        domain = Domain(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("paid", "in_payment")),
                ("id", "not in", granted.ids),
            ]
        )
        if granted:
            newest = max(granted.mapped("invoice_date"))
            domain &= Domain("invoice_date", ">=", newest)
        moves = Move.search(domain, order="invoice_date desc, id desc", limit=size)
        on_time = [
            loyalty.paid_on_time(move.invoice_date_due, self._paid_date(move))
            for move in moves
        ]
        return moves if loyalty.streak_reached(on_time, size) else Move

    @api.model
    def _credit_amount(self, move):
        """The credit `move` earns (in its currency): the company's fixed
        amount, else its percentage of the invoice before taxes, within the
        cap and never above the invoice."""
        company = move.company_id
        currency = move.currency_id
        on = move.invoice_date or fields.Date.context_today(self)

        def units(amount):
            converted = company.currency_id._convert(amount, currency, company, on)
            return round(converted / currency.rounding)

        credit = loyalty.credit_units(
            round(move.amount_untaxed / currency.rounding),
            company.billing_loyalty_percent,
            units(company.billing_loyalty_amount),
            units(company.billing_loyalty_cap),
        )
        return credit * currency.rounding

    @api.model
    def _credit_line_values(self, move, amount, streak, sign):
        company = move.company_id
        values = {
            "product_id": company.billing_loyalty_product_id.id,
            "name": self.env._(
                "Loyalty credit: thank you for paying your last %(count)s "
                "invoices on time",
                count=len(streak),
            ),
            "quantity": 1.0,
            "price_unit": sign * amount,
        }
        if company.billing_loyalty_account_id:
            values["account_id"] = company.billing_loyalty_account_id.id
        return values

    @api.model
    def _grant(self, moves):
        """Credit the customer invoices about to be posted whose customer
        earned it: a line on the invoice itself, or (company setting) a
        credit note posted against it right after. One by one, so the
        ledger sees the credit of the invoice before in the same batch."""
        notes = {}
        for move in moves:
            company = move.company_id
            streak = self._streak(move.commercial_partner_id, company)
            amount = streak and self._credit_amount(move)
            if not amount:
                continue
            values = {"billing_loyalty_key": kinds.loyalty_key(streak[0].id)}
            if company.billing_loyalty_mode == CREDIT_NOTE:
                notes[move] = (amount, streak)
            else:
                line = self._credit_line_values(move, amount, streak, -1)
                values["invoice_line_ids"] = [Command.create(line)]
            move.write(values)
            self._record(move, streak)
        return notes

    @api.model
    def _issue_credit_notes(self, notes):
        """Post each invoice's loyalty credit note and reconcile it with the
        invoice: the client owes the invoice less the credit."""
        for move, (amount, streak) in notes.items():
            line = self._credit_line_values(move, amount, streak, 1)
            note = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": move.partner_id.id,
                    "company_id": move.company_id.id,
                    "journal_id": move.journal_id.id,
                    "currency_id": move.currency_id.id,
                    "invoice_date": move.invoice_date,
                    "ref": self.env._(
                        "Loyalty credit on %(invoice)s", invoice=move.name
                    ),
                    "invoice_line_ids": [Command.create(line)],
                }
            )
            note.action_post()
            move.billing_loyalty_credit_note_id = note
            receivable = (move.line_ids | note.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
            for lines in receivable.grouped("account_id").values():
                lines.reconcile()

    @api.model
    def _record(self, move, streak):
        """Log the credit of `move`; the key's unique index makes a second
        credit for the same run impossible."""
        # events are append-only: users may not create them
        self.env["billing.followup.event"].sudo().create(
            {
                "partner_id": move.commercial_partner_id.id,
                "company_id": move.company_id.id,
                "date": move.invoice_date or fields.Date.context_today(self),
                "kind": kinds.LOYALTY,
                "key": move.billing_loyalty_key,
                "move_ids": [Command.set((streak | move).ids)],
                "note": self.env._(
                    "Loyalty credit on %(invoice)s", invoice=move.display_name
                ),
            }
        )
