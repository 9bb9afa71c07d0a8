from datetime import timedelta

from odoo import models

from ..tools import followup_kinds as kinds


class BillingFollowupMessageMixin(models.AbstractModel):
    """What a reminder, letter or statement may truthfully say about an
    event: its items by section, its balances, whom it greets, what was
    sent before. The templates ask these helpers instead of holding fixed
    phrases, so that a message claims no history and no consequence that
    does not exist for this customer."""

    _name = "billing.followup.message.mixin"
    _description = "Follow-up Message Facts"

    def _billing_table(self):
        """The listed items as the message table shows them, from one read
        of the items: "overdue", "coming" and "credits" item lists,
        "balances" per currency and "discount" (some item has one). A
        rendering that carries a `billing_tables` dict in its context (the
        engine's batch) builds each record's table once for the body, its
        sentences and the chatter note."""
        tables = self.env.context.get("billing_tables")
        key = (self._name, self.id)
        if tables is not None and key in tables:
            return tables[key]
        items = self._billing_items()
        table = {"overdue": [], "coming": [], "credits": []}
        for item in items:
            if item["amount"] < 0:
                table["credits"].append(item)
            elif item["days_late"]:
                table["overdue"].append(item)
            else:
                table["coming"].append(item)
        table["balances"] = _balances(table)
        table["discount"] = any(item["discount_date"] for item in items)
        if tables is not None:
            tables[key] = table
        return table

    def _billing_days_late(self):
        """Days late of the oldest overdue item listed (0 when none is)."""
        overdue = self._billing_table()["overdue"]
        return max((item["days_late"] for item in overdue), default=0)

    def _billing_oldest_due(self):
        """Due date of the oldest overdue item listed (else the event's date)."""
        overdue = self._billing_table()["overdue"]
        return min((item["due"] for item in overdue), default=self.date)

    def _billing_greeting_name(self):
        """The recipient's name when it is a person; '' for a company or an
        address without a name (the template then says "Hello,")."""
        self.ensure_one()
        contact = self.contact_id
        if not contact or contact.is_company or contact == self.company_id.partner_id:
            return ""
        return contact.name or ""

    def _billing_earlier_dates(self):
        """Dates of the messages this customer really received earlier
        about the items of this one (the ledger's sent emails and letters),
        oldest first: only those may be mentioned."""
        self.ensure_one()
        # sudo: the ledger is read whole to tell the truth, whoever renders
        earlier = (
            self.env["billing.followup.event"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("kind", "in", kinds.MESSAGE_KINDS),
                    ("state", "=", kinds.DONE),
                    ("date", "<=", self.date),
                    ("step_id", "!=", False),
                    ("reminded_line_ids", "in", self.line_ids.ids),
                ],
                limit=50,
            )
        )
        earlier = earlier.filtered(
            lambda e: (e.step_id, e.cycle_date) != (self.step_id, self.cycle_date)
        )
        return sorted(set(earlier.mapped("date")))

    def _billing_hold_date(self):
        """The date from which the customer's account would be put on hold
        (new work paused), when its ladder has a credit-hold step still
        after this one; False otherwise."""
        self.ensure_one()
        step = self.step_id
        ahead = step.sequence_id.step_ids.filtered(
            lambda s: s.stage_id.credit_hold and s.offset_days > step.offset_days
        ).sorted("offset_days")[:1]
        if not ahead or not self.cycle_date:
            return False
        interval = timedelta(days=step.sequence_id.min_interval_days or 1)
        reached = self.cycle_date + timedelta(days=ahead.offset_days)
        return max(reached, self.date + interval)

    def _billing_letter_title(self):
        """In the customer's language: a report's t-lang does not reach the
        records it calls methods on."""
        lang = self.partner_id.lang or self.env.lang
        return self.step_id.with_context(lang=lang)._billing_letter_title()

    def _billing_chatter_summary(self):
        """The short note logged on the customer for a sent reminder."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "billing_followup.followup_chatter_summary",
            {"object": self, "url": f"/odoo/billing.followup.event/{self.id}"},
        )


def _balances(table):
    """[{currency, overdue, balance}] per currency: what is overdue now once
    the credits are deducted (they pay the oldest items first), and the
    whole open balance listed."""
    balances = {}
    for section in ("overdue", "coming", "credits"):
        for item in table[section]:
            entry = balances.setdefault(
                item["currency"],
                {"currency": item["currency"], "overdue": 0.0, "balance": 0.0},
            )
            entry["balance"] += item["amount"]
            if section != "coming":
                entry["overdue"] += item["amount"]
    for entry in balances.values():
        entry["overdue"] = max(entry["overdue"], 0.0)
    return sorted(balances.values(), key=lambda entry: entry["currency"].name)
