from contextlib import closing

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds


class BillingFollowupSendNow(models.TransientModel):
    """Send a customer a reminder now: the step it is due for (else the
    gentlest overdue reminder), rendered, editable, sent from its chatter;
    the post is recorded as a manual contact."""

    _name = "billing.followup.send.now"
    _description = "Send a Reminder Now"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    contact_id = fields.Many2one("res.partner", "Recipient", required=True)
    step_id = fields.Many2one("billing.followup.step", readonly=True)
    subject = fields.Char(required=True)
    body = fields.Html(required=True)

    @api.model
    def _open_for(self, partner):
        partner = partner.commercial_partner_id
        step, lines = self._step_and_lines(partner)
        if not step.mail_template_id:
            raise UserError(
                self.env._(
                    "%(name)s has no reminder to send: no step with an email "
                    "template in its sequence.",
                    name=partner.display_name,
                )
            )
        contact = partner._billing_contact()
        rendered = self._render(partner, contact, step, lines)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_contact_id": contact.id,
                "default_step_id": step.id,
                "default_subject": rendered["subject"],
                "default_body": rendered["body_html"],
            },
        }

    @api.model
    def _step_and_lines(self, partner):
        """The step the customer is due for today, else the gentlest overdue
        step of its sequence; and its open items."""
        engine = self.env["billing.followup.engine"]
        plan = engine._plan(partners=partner)
        company = self.env.company
        _on, decision, sequence = plan.get(
            (partner, company),
            (
                None,
                None,
                partner._billing_followup_policy(company, engine._today()).sequence,
            ),
        )
        Step = self.env["billing.followup.step"]
        if isinstance(decision, logic.Action) and decision.step_id:
            step = Step.browse(decision.step_id)
        else:
            steps = sequence.step_ids.sorted("offset_days")
            step = steps.filtered(lambda s: s.offset_days > 0)[:1] or steps[:1]
        lines = self.env["account.move.line"].search(
            engine._open_line_domain()
            & fields.Domain("partner_id", "=", partner.id)
            & fields.Domain("company_id", "=", company.id)
        )
        return step, lines

    @api.model
    def _render(self, partner, contact, step, lines):
        """The step's template rendered on an event that is rolled back:
        the reminder templates render follow-up events."""
        Event = self.env["billing.followup.event"]
        with closing(self.env.cr.savepoint()):
            # sudo: users only read the ledger; this event never stays
            event = Event.sudo().create(
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "kind": kinds.EMAIL,
                    "state": kinds.TO_REVIEW,
                    "step_id": step.id,
                    "line_ids": [Command.set(lines.ids)],
                    "move_ids": [Command.set(lines.move_id.ids)],
                    "contact_id": contact.id,
                }
            )
            rendered = step.mail_template_id.sudo()._generate_template(
                event.ids, ["subject", "body_html"]
            )[event.id]
            self.env.flush_all()
        self.env.invalidate_all()
        return rendered

    def action_send(self):
        self.ensure_one()
        # sudo: follow-up users write to customers they may not edit; the
        # author stays the user
        self.partner_id.sudo().message_post(
            subject=self.subject,
            body=self.body,
            partner_ids=self.contact_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {"type": "ir.actions.act_window_close"}
