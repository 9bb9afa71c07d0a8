from odoo import fields, models
from odoo.exceptions import UserError


class BillingPaymentPlanRequest(models.Model):
    """A client asked for instalments from its page: a draft plan, marked
    as its request, that an accountant accepts (the plan starts and its PDF
    goes to the client) or declines (with a note sent back)."""

    _inherit = "billing.payment.plan"

    billing_requested = fields.Boolean(
        "Requested by the Client", readonly=True, copy=False, index=True
    )
    billing_request_note = fields.Text("Client's Note", readonly=True, copy=False)
    billing_decline_note = fields.Text(
        "Why Declined", readonly=True, copy=False, tracking=True
    )

    def _check_open_request(self):
        for plan in self:
            if not plan.billing_requested or plan.state != "draft":
                raise UserError(
                    self.env._(
                        "%(plan)s is not a client's request waiting for an answer.",
                        plan=plan.display_name,
                    )
                )

    def action_billing_accept(self):
        """Start the plan and send it to the client with its PDF."""
        self._check_open_request()
        self.action_start()
        template = self.env.ref("billing_followup.mail_template_plan_accepted")
        for plan in self:
            plan.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_billing_decline(self):
        self._check_open_request()
        return {
            "type": "ir.actions.act_window",
            "res_model": "billing.payment.plan.decline",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_ids": self.ids},
        }

    def _billing_decline(self, note):
        """Cancel the request and tell the client why."""
        self._check_open_request()
        if not (note or "").strip():
            raise UserError(self.env._("Tell the client why its request is declined."))
        self.write({"billing_decline_note": note})
        self.action_cancel()
        template = self.env.ref("billing_followup.mail_template_plan_declined")
        for plan in self:
            plan.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
