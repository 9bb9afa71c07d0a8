from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    billing_disputed = fields.Boolean(
        "Disputed",
        copy=False,
        tracking=True,
        help="The customer disputes this invoice: no reminder until resolved.",
    )
    billing_event_ids = fields.Many2many(
        "billing.followup.event",
        compute="_compute_billing_event_ids",
        string="Follow-up History",
    )
    billing_followup_status = fields.Char(
        "Follow-up Status", compute="_compute_billing_event_ids"
    )

    @api.depends("line_ids")
    def _compute_billing_event_ids(self):
        Event = self.env["billing.followup.event"]
        events = Event.search([("move_ids", "in", self.ids)]) if self.ids else Event
        for move in self:
            mine = events.filtered(lambda e, move=move: move in e.move_ids)
            move.billing_event_ids = mine
            last = mine.filtered(lambda e: e.state != "cancelled")[:1]
            move.billing_followup_status = last and self.env._(
                "%(step)s (%(kind)s) on %(date)s",
                step=last.step_id.name or last.kind,
                kind=dict(last._fields["kind"]._description_selection(self.env))[
                    last.kind
                ],
                date=last.date,
            )

    def _message_post_after_hook(self, new_message, message_values):
        """A message sent by hand to the customer counts as a contact."""
        self.env["billing.followup.event"]._log_manual_contact(self, new_message)
        return super()._message_post_after_hook(new_message, message_values)
