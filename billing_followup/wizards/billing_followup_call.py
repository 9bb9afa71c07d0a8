from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import followup_kinds as kinds

# A customer who says it paid is paused this long while the bank is checked.
PAID_PAUSE_DAYS = 5


class BillingFollowupCall(models.TransientModel):
    """The outcome of a call to a customer. A completed call is a contact
    (the minimum interval counts it); one not answered is logged as failed."""

    _name = "billing.followup.call"
    _description = "Log a Follow-up Call"

    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company
    )
    outcome = fields.Selection(
        [
            ("reached", "Reached"),
            ("no_answer", "No Answer"),
            ("promised", "Promised to Pay"),
            ("disputed", "Disputes an Invoice"),
            ("paid", "Says It Paid"),
            ("plan", "Asked for a Payment Plan"),
        ],
        required=True,
        default="reached",
    )
    note = fields.Text()
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('amount_residual', '>', 0)]",
    )
    promise_amount = fields.Monetary(currency_field="currency_id")
    promise_date = fields.Date()
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.model
    def _open_for(self, partner, company=None, moves=None):
        context = {"default_partner_id": partner.commercial_partner_id.id}
        if company:
            context["default_company_id"] = company.id
        if moves:
            context["default_move_ids"] = moves.ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_log(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        summary = getattr(self, f"_outcome_{self.outcome}")(partner)
        note = " ".join(filter(None, [summary, self.note]))
        # sudo: users only read the ledger; what they did is written for them
        self.env["billing.followup.event"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": self.company_id.id,
                "kind": kinds.CALL,
                "state": kinds.FAILED if self.outcome == "no_answer" else kinds.DONE,
                "contact_id": partner.id,
                "move_ids": self.move_ids.ids,
                "user_id": self.env.uid,
                "note": note,
            }
        )
        self._close_call_activities(partner)
        return {"type": "ir.actions.act_window_close"}

    def _close_call_activities(self, partner):
        """The call the run planned for the customer is done."""
        call = self.env.ref("mail.mail_activity_data_call")
        # sudo: the call is done, whoever its activity was assigned to
        activities = partner.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == call
        )
        if self.outcome != "no_answer":
            activities.with_context(billing_call_logged=True).action_feedback(
                feedback=self.note or ""
            )

    def _outcome_reached(self, partner):
        return self.env._("Call: reached.")

    def _outcome_no_answer(self, partner):
        return self.env._("Call: no answer.")

    def _outcome_promised(self, partner):
        self._require_invoices()
        self.env["billing.followup.promise"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company_id.id,
                "move_ids": self.move_ids.ids,
                "amount": self.promise_amount,
                "date": self.promise_date,
            }
        )
        return self.env._("Call: promised to pay.")

    def _outcome_disputed(self, partner):
        self._require_invoices()
        for move in self.move_ids:
            move._billing_dispute(self.note)
        return self.env._("Call: disputes an invoice.")

    def _outcome_paid(self, partner):
        """Paused a few days; the accountant checks the bank meanwhile."""
        until = fields.Date.context_today(self) + timedelta(days=PAID_PAUSE_DAYS)
        # follow-up users pause a customer without the right to edit contacts
        partner.with_company(self.company_id).sudo().write(
            {
                "billing_paused_until": until,
                "billing_pause_reason": self.env._("Says it paid: check the bank."),
            }
        )
        self._schedule(partner, self.env._("Check the bank: the customer says it paid"))
        return self.env._("Call: says it paid; paused until %(date)s.", date=until)

    def _outcome_plan(self, partner):
        self._schedule(partner, self.env._("Propose a payment plan"))
        return self.env._("Call: asked for a payment plan.")

    def _schedule(self, partner, summary):
        engine = self.env["billing.followup.engine"]
        # sudo: the activity goes to the responsible, who may be another user
        partner.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self.note,
            user_id=engine._responsible(partner, self.company_id).id,
        )

    def _require_invoices(self):
        if not self.move_ids:
            raise UserError(
                self.env._("Choose the invoices the customer talked about.")
            )
