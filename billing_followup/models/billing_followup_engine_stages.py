from odoo import Command, api, models
from odoo.fields import Domain

from ..tools import followup_kinds as kinds

MANAGER_GROUP = "billing_followup.billing_followup_group_manager"


class BillingFollowupEngineStages(models.AbstractModel):
    """What entering a stage does besides the stage itself: a to-do for the
    people the stage involves, and for the last resort the hand-over with its
    formal demand letter."""

    _inherit = "billing.followup.engine"

    @api.model
    def _stage_side_effects(self, events):
        lowest = self.env["billing.followup.stage"]._lowest()
        entered = events.filtered(lambda e: e.stage_id and e.stage_id != lowest)
        self._involve(entered.filtered(lambda e: e.stage_id.involve != "none"))
        handovers = entered.filtered(lambda e: e.stage_id.is_last_resort)
        if handovers:
            self._perform_handover(self._handover_events(handovers))

    @api.model
    def _involved_users(self, event):
        """The users the event's stage involves, in the event's company, by
        the rule of `_responsible` (no OdooBot, archived, portal or foreign
        user; a salesperson who cannot read it leaves it to the responsible)."""
        company, partner = event.company_id, event.partner_id
        involve = event.stage_id.involve
        if involve == "salesperson":
            # sudo: the salesperson's groups and companies are read
            salesperson = partner.user_id.sudo()
            if salesperson and self._reads_activities(salesperson, company):
                return salesperson.with_env(self.env)
        if involve in ("responsible", "salesperson"):
            return self._responsible(partner, company)
        # sudo: the managers' companies, whoever's run or approval it is
        managers = self.env.ref(MANAGER_GROUP).sudo().all_user_ids.sorted("id")
        return managers.filtered(
            lambda user: self._reads_activities(user, company)
        ).with_env(self.env)

    @api.model
    def _involve(self, events):
        """A to-do per involved person, one per customer, person and day
        whatever else the day brought (the engine's activity rule)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        wanted = {}
        for event in events:
            summary = self.env._(
                "%(customer)s entered the stage %(stage)s",
                customer=event.partner_id.display_name,
                stage=event.stage_id.name,
            )
            for user in self._involved_users(event):
                key = (event.partner_id.id, todo.id, user.id, event.date)
                wanted.setdefault(key, [summary, event.browse()])[1] |= event
        self._schedule_activities(wanted)

    @api.model
    def _handover_events(self, stage_events):
        """One hand-over event per customer and dunning cycle."""
        lines = {event: self._open_lines(event) for event in stage_events}
        return (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": event.partner_id.id,
                        "company_id": event.company_id.id,
                        "date": event.date,
                        "kind": kinds.HANDOVER,
                        "key": kinds.handover_key(event.cycle_date or event.date),
                        "stage_id": event.stage_id.id,
                        "step_id": event.step_id.id,
                        "cycle_date": event.cycle_date,
                        "line_ids": [Command.set(lines[event].ids)],
                        "move_ids": [Command.set(lines[event].move_id.ids)],
                        "contact_id": event.partner_id._billing_contact().id,
                        "note": event.stage_id.agency_id.display_name or False,
                    }
                    for event in stage_events
                ]
            )
        )

    @api.model
    def _open_lines(self, event):
        """The customer's open receivable items in the event's company."""
        return self.env["account.move.line"].search(
            self._open_line_domain()
            & Domain("partner_id", "=", event.partner_id.id)
            & Domain("company_id", "=", event.company_id.id),
            order="date_maturity, id",
        )

    @api.model
    def _perform_handover(self, events):
        """The formal demand letter, rendered and filed on the customer's
        chatter: the record of what was handed over."""
        report = self.env.ref("billing_followup.action_report_demand_letter")
        for event in events:
            pdf, _type = report._render_qweb_pdf(report.report_name, event.ids)
            name = self.env._(
                "Demand letter - %(customer)s.pdf",
                customer=event.partner_id.display_name,
            )
            # the engine files the letter whoever runs it
            event.partner_id.sudo().with_context(
                billing_followup_engine=True
            ).message_post(
                body=self.env._(
                    "Handed over to %(agency)s: formal demand letter attached. "
                    "No automatic reminder is sent any more.",
                    agency=event.stage_id.agency_id.display_name or event.stage_id.name,
                ),
                attachments=[(name, pdf)],
                subtype_xmlid="mail.mt_note",
            )
