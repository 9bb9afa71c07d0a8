from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import followup_kinds as kinds
from ..tools import loyalty


class BillingLoyalty(models.AbstractModel):
    """Loyalty credit: a customer whose last invoices (company setting
    `billing_loyalty_streak`) were paid on time earns a credit line on its
    next contract invoice, once per run of invoices (the event's key)."""

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
    def _credit_line(self, contract, lines_values):
        """(line values, key) of the credit earned on an invoice of
        `contract` made of `lines_values`, or None."""
        company = contract.company_id
        product = company.billing_loyalty_product_id
        streak = self._streak(contract.partner_id, company) if product else None
        if not streak:
            return None
        rounding = contract.currency_id.rounding
        base = sum(v["price_unit"] * v.get("quantity", 1.0) for v in lines_values)
        fixed = company.currency_id._convert(
            company.billing_loyalty_amount,
            contract.currency_id,
            company,
            fields.Date.context_today(self),
        )
        cap = company.currency_id._convert(
            company.billing_loyalty_cap,
            contract.currency_id,
            company,
            fields.Date.context_today(self),
        )
        units = loyalty.credit_units(
            round(base / rounding),
            company.billing_loyalty_percent,
            round(fixed / rounding),
            round(cap / rounding),
        )
        if not units:
            return None
        line = {
            "product_id": product.id,
            "name": self.env._(
                "Loyalty credit: thank you for paying your last %(count)s "
                "invoices on time",
                count=len(streak),
            ),
            "quantity": 1.0,
            "price_unit": -units * rounding,
        }
        return line, kinds.loyalty_key(streak[0].id)

    @api.model
    def _record(self, moves):
        """Log the credit of each new invoice that carries one; the key's
        unique index makes a second credit for the same run impossible."""
        vals_list = []
        for move in moves.filtered("billing_loyalty_key"):
            partner = move.commercial_partner_id
            streak = self._streak(partner, move.company_id)
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": move.company_id.id,
                    "date": move.invoice_date or fields.Date.context_today(self),
                    "kind": kinds.LOYALTY,
                    "key": move.billing_loyalty_key,
                    "move_ids": [(6, 0, (streak | move).ids)],
                    "note": self.env._(
                        "Loyalty credit on %(invoice)s", invoice=move.display_name
                    ),
                }
            )
        # events are append-only: users may not create them
        self.env["billing.followup.event"].sudo().create(vals_list)
