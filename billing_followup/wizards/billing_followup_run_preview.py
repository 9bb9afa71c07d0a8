from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from ..tools import followup_kinds as kinds


class BillingFollowupRunPreview(models.TransientModel):
    """What the run would do on a date, and the 30 days after it, from the
    same decision code as the run; the selected customers can be run now."""

    _name = "billing.followup.run.preview"
    _description = "Preview the Follow-up Run"

    date = fields.Date(required=True, default=fields.Date.context_today)
    days = fields.Integer("Look Ahead (days)", default=30, required=True)
    line_ids = fields.One2many("billing.followup.run.preview.line", "wizard_id")
    is_today = fields.Boolean(compute="_compute_is_today")
    computed = fields.Boolean(readonly=True)
    today_count = fields.Integer(compute="_compute_is_today")

    @api.depends("date", "line_ids.date")
    def _compute_is_today(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.is_today = wizard.date == today
            wizard.today_count = len(
                wizard.line_ids.filtered(lambda ln: ln.date == today)
            )

    @api.constrains("days")
    def _check_days(self):
        for wizard in self:
            if not 1 <= wizard.days <= 90:
                raise UserError(
                    self.env._(
                        "Look ahead between 1 and 90 days, not %(days)s.",
                        days=wizard.days,
                    )
                )

    def action_compute(self):
        self.ensure_one()
        forecast = self.env["billing.followup.engine"]._forecast(self.date, self.days)
        Step = self.env["billing.followup.step"]
        lines = [Command.clear()]
        for partner, company, on, action, fees, _sequence in forecast:
            step = Step.browse(action and action.step_id)
            lines.append(
                Command.create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date": on,
                        "step_id": step.id,
                        "channels": step._billing_channels_text() if step else "",
                        "contact_id": partner._billing_contact().id,
                        "item_count": len(action.listed) if action else 0,
                        "email_problem": partner.billing_email_problem,
                        "fees": self._fees_text(fees) or False,
                        "waits": ", ".join(
                            filter(
                                None,
                                [
                                    partner.with_company(company).billing_hold_text,
                                    action
                                    and action.approval
                                    and self.env._("waits for a manager's approval"),
                                ],
                            )
                        ),
                    }
                )
            )
        self.write({"line_ids": lines, "computed": True})
        return self._reopen()

    def _fees_text(self, fees):
        """The late fees a run would charge, with their amounts and the
        invoices they charge for."""
        parts = []
        for due in fees:
            lines = self.env["account.move.line"].browse(
                [line for line, _policy, _fee in due.charges]
            )
            parts.append(
                self.env._(
                    "%(amount)s on %(invoices)s",
                    amount=format_amount(
                        self.env,
                        due.amount,
                        self.env["res.currency"].browse(due.currency),
                    ),
                    invoices=", ".join(lines.move_id.mapped("name")),
                )
            )
        return "; ".join(parts)

    def action_run_selected(self):
        """Run today for the customers ticked on its lines: a preview of
        another date only shows, it never sends early or late."""
        self.ensure_one()
        if not self.is_today:
            raise UserError(
                self.env._(
                    "Only today's follow-up can be run now; %(date)s is a "
                    "preview. Set the date to today to run it.",
                    date=format_date(self.env, self.date),
                )
            )
        if not self.today_count:
            raise UserError(
                self.env._(
                    "Nothing is left to run today (%(date)s): today's follow-up "
                    "is done. Preview a later date to see what comes next.",
                    date=format_date(self.env, self.date),
                )
            )
        selected = self.line_ids.filtered(
            lambda ln: ln.selected and ln.date == self.date
        )
        if not selected:
            raise UserError(
                self.env._(
                    "Tick the customers to run now among the lines of %(date)s.",
                    date=format_date(self.env, self.date),
                )
            )
        counts = self.env["billing.followup.engine"]._run(
            date=self.date, partners=selected.partner_id
        )
        self.action_compute()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._(
                    "Follow-up run of %(date)s",
                    date=format_date(self.env, self.date),
                ),
                "message": self._no_sender_text(counts)
                + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()),
                "next": self._reopen(),
            },
        }

    def _no_sender_text(self, counts):
        skipped = counts.get(kinds.skipped_key(kinds.SKIP_NO_SENDER))
        if not skipped:
            return ""
        return self.env._(
            "%(company)s has no email address to send reminders from: "
            "%(count)s not sent. Set it in the company's settings and run again. ",
            count=skipped,
            company=self.env.company.name,
        )

    def _reopen(self):
        """The wizard again, with the title of its menu (not Odoo's)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview the Run"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class BillingFollowupRunPreviewLine(models.TransientModel):
    _name = "billing.followup.run.preview.line"
    _description = "Follow-up Run Preview Line"
    _order = "date, partner_id"

    wizard_id = fields.Many2one(
        "billing.followup.run.preview", required=True, ondelete="cascade"
    )
    selected = fields.Boolean("Run Now")
    date = fields.Date()
    partner_id = fields.Many2one("res.partner", "Customer")
    company_id = fields.Many2one("res.company")
    step_id = fields.Many2one("billing.followup.step")
    channels = fields.Char()
    contact_id = fields.Many2one("res.partner", "Recipient")
    item_count = fields.Integer("Items")
    email_problem = fields.Char()
    fees = fields.Char("Late Fees", help="The late fees the run would charge.")
    waits = fields.Char(help="Paused until, promise due on: why it waits.")
