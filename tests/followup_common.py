"""Base of the engine tests: a company of their own with a five-step
sequence (heads-up, reminder, second, call, final letter) and helpers."""

from datetime import date, timedelta

from lxml import html as lxml_html

from odoo import Command

from .common import BillingFollowupCommon

D = date(2026, 3, 2)  # a Monday


def day(n):
    return D + timedelta(days=n)


def total_lines(html):
    """The totals lines of a message or document, per currency, as
    the customer reads them (spaces normalised)."""
    rows = lxml_html.fromstring(html).xpath("//tfoot/tr")
    return [" ".join(row.text_content().split()) for row in rows]


class FollowupEngineCommon(BillingFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"email": "billing@company-a.example"})
        cls.company.partner_id.tz = "UTC"
        ref = cls.env.ref
        all_days = cls.env["billing.followup.weekday"].search([])
        cls.sequence = cls.env["billing.followup.sequence"].create(
            {
                "name": "Test ladder",
                "company_id": cls.company.id,
                "min_interval_days": 2,
                "send_weekday_ids": [Command.set(all_days.ids)],
                "step_ids": [
                    cls._step("Heads-up", -3, "mail_template_heads_up"),
                    cls._step("Reminder", 1, "mail_template_reminder"),
                    cls._step("Second", 7, "mail_template_statement"),
                    cls._step(
                        "Call",
                        14,
                        "mail_template_firmer",
                        create_activity=True,
                        activity_type_id=ref("mail.mail_activity_data_call").id,
                    ),
                    cls._step("Final", 21, "mail_template_final", print_letter=True),
                ],
            }
        )
        cls.steps = {s.offset_days: s for s in cls.sequence.step_ids}
        cls.company.billing_followup_sequence_id = cls.sequence
        cls.engine = cls.env["billing.followup.engine"]

    @classmethod
    def _step(cls, name, offset, template, **values):
        return Command.create(
            {
                "name": name,
                "offset_days": offset,
                "mail_template_id": cls.env.ref(f"billing_followup.{template}").id,
                **values,
            }
        )

    def _enable_thanks(self):
        self.sequence.write(
            {
                "send_thanks": True,
                "thanks_template_id": self.env.ref(
                    "billing_followup.mail_template_thanks"
                ).id,
            }
        )

    def _run(self, on, partners=None):
        return self.engine._run(date=on, partners=partners or self.customer)

    def _events(self, partners=None, **filters):
        domain = [("partner_id", "in", (partners or self.customer).ids)]
        domain += [(key, "=", value) for key, value in filters.items()]
        return self.env["billing.followup.event"].search(domain, order="id")
