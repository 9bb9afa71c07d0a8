from odoo import api, fields, models
from odoo.tools import email_normalize


class ResPartner(models.Model):
    _inherit = "res.partner"

    billing_followup_sequence_id = fields.Many2one(
        "billing.followup.sequence",
        "Reminder Sequence",
        company_dependent=True,
        help="Leave empty to use the company's default sequence.",
    )
    billing_invoice_contact_id = fields.Many2one(
        "res.partner",
        "Invoicing Contact",
        domain="[('id', 'child_of', commercial_partner_id)]",
        help="Who receives the reminders; by default the invoice address, "
        "else the customer itself.",
    )
    billing_responsible_id = fields.Many2one(
        "res.users",
        "Follow-up Responsible",
        company_dependent=True,
        help="Gets the calls and letters to do; by default the company's.",
    )
    billing_excluded = fields.Boolean(
        "Excluded From Follow-up",
        company_dependent=True,
        help="No reminder of any kind for this customer.",
    )
    billing_min_interval_days = fields.Integer(
        "Minimum Days Between Messages",
        help="0 uses the sequence's minimum.",
    )
    billing_no_send_weekday_ids = fields.Many2many(
        "billing.followup.weekday",
        string="Days Without Messages",
        help="Days of the week when nothing is sent to this customer.",
    )
    billing_stage_id = fields.Many2one(
        "billing.followup.stage", "Follow-up Stage", company_dependent=True
    )
    billing_credit_hold = fields.Boolean(
        "Credit Hold",
        compute="_compute_billing_credit_hold",
        help="Set by the customer's follow-up stage.",
    )
    billing_followup_event_ids = fields.One2many(
        "billing.followup.event", "partner_id", "Follow-up History"
    )
    billing_email_problem = fields.Char(
        "Email Problem", compute="_compute_billing_email_problem"
    )

    @api.depends("billing_stage_id.credit_hold")
    @api.depends_context("company")
    def _compute_billing_credit_hold(self):
        for partner in self:
            partner.billing_credit_hold = partner.billing_stage_id.credit_hold

    def _billing_contact(self):
        """The invoicing contact reminders go to."""
        self.ensure_one()
        partner = self.commercial_partner_id
        invoice_children = partner.child_ids.filtered(lambda c: c.type == "invoice")
        return partner.billing_invoice_contact_id or invoice_children[:1] or partner

    @api.depends(
        "billing_invoice_contact_id.email", "child_ids.email", "email", "message_bounce"
    )
    def _compute_billing_email_problem(self):
        contacts = {partner: partner._billing_contact() for partner in self}
        for partner, contact in contacts.items():
            partner.billing_email_problem = contact._billing_email_problem_text()

    def _billing_email_problem_text(self):
        """Why an email to this contact would not arrive, or False."""
        self.ensure_one()
        if not self.email:
            return self.env._("%(name)s has no email address", name=self.name)
        if not email_normalize(self.email):
            return self.env._(
                "%(name)s has a malformed email address: %(email)s",
                name=self.name,
                email=self.email,
            )
        if self.sudo().is_blacklisted:
            return self.env._("%(email)s is blacklisted", email=self.email)
        if self.message_bounce:
            return self.env._("Emails to %(email)s bounce", email=self.email)
        return False

    def _message_post_after_hook(self, new_message, message_values):
        """A message sent by hand to the customer counts as a contact."""
        self.env["billing.followup.event"]._log_manual_contact(self, new_message)
        return super()._message_post_after_hook(new_message, message_values)
