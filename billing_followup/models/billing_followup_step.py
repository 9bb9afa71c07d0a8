from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_OFFSET_DAYS = 365


class BillingFollowupStep(models.Model):
    """One rung of a reminder sequence: when, how and how firmly."""

    _name = "billing.followup.step"
    _description = "Reminder Step"
    _order = "sequence_id, offset_days, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence_id = fields.Many2one(
        "billing.followup.sequence", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="sequence_id.company_id")
    offset_days = fields.Integer(
        "Days From Due Date",
        required=True,
        help="Negative before the due date (a heads-up), positive after it.",
    )
    send_email = fields.Boolean("Email", default=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "billing.followup.event")],
        string="Email Template",
    )
    attach_invoices = fields.Boolean(help="Attach the PDF of each open invoice.")
    attach_statement = fields.Boolean(help="Attach a statement of the account.")
    create_activity = fields.Boolean("Activity")
    activity_type_id = fields.Many2one("mail.activity.type")
    activity_summary = fields.Char(translate=True)
    print_letter = fields.Boolean("Letter", help="Prepare a letter to print and post.")
    letter_title = fields.Char(
        translate=True,
        help='The heading of the printed letter, e.g. "Final notice"; empty: '
        "derived from the step's place in the sequence.",
    )
    needs_review = fields.Boolean(
        help="The step's actions wait in the review list until a user sends or "
        "skips them."
    )
    stage_id = fields.Many2one("billing.followup.stage", "Stage Reached")
    apply_late_fee = fields.Boolean(
        "Charge Late Fee",
        help="Once this step's message went out, the late fee policy in force "
        "(contract, else customer, else sequence) is charged.",
    )

    @api.constrains("send_email", "mail_template_id", "create_activity", "print_letter")
    def _check_actions(self):
        for step in self:
            if not (step.send_email or step.create_activity or step.print_letter):
                raise ValidationError(
                    self.env._(
                        "The step %(name)s does nothing: choose at least an email, "
                        "an activity or a letter.",
                        name=step.name,
                    )
                )
            if step.send_email and not step.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The step %(name)s sends an email: choose its template.",
                        name=step.name,
                    )
                )

    @api.constrains("apply_late_fee", "sequence_id")
    def _check_late_fee(self):
        """A fee step needs a policy to charge: the sequence's, or at least
        one a contract or customer may choose."""
        for step in self.filtered("apply_late_fee"):
            if step.sequence_id.late_fee_policy_id:
                continue
            company = step.sequence_id.company_id or self.env.company
            if not self.env["billing.late.fee.policy"].search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                raise ValidationError(
                    self.env._(
                        "The step %(name)s charges a late fee, but no late fee "
                        "policy exists: create one and set it on the sequence, "
                        "the customers or their contracts.",
                        name=step.name,
                    )
                )

    _offset_unique = models.Constraint(
        "UNIQUE(sequence_id, offset_days) DEFERRABLE INITIALLY DEFERRED",
        "Two steps of a sequence cannot be the same number of days from the "
        "due date.",
    )

    @api.constrains("offset_days", "sequence_id")
    def _check_offset(self):
        """The readable error of `_offset_unique`: the database checks it at
        commit (deferred), after this check could name the sequence. A step
        more than a year away is a typing error, not a plan."""
        for step in self:
            if abs(step.offset_days) > MAX_OFFSET_DAYS:
                raise ValidationError(
                    self.env._(
                        "The step %(name)s is %(days)s days from the due date: "
                        "keep steps within a year (from -%(max)s to %(max)s).",
                        name=step.name,
                        days=step.offset_days,
                        max=MAX_OFFSET_DAYS,
                    )
                )
            twins = step.sequence_id.step_ids.filtered(
                lambda s, step=step: s.offset_days == step.offset_days
            )
            if len(twins) > 1:
                raise ValidationError(
                    self.env._(
                        "Two steps of %(sequence)s are %(days)s days from the due "
                        "date; give each step its own day.",
                        sequence=step.sequence_id.name,
                        days=step.offset_days,
                    )
                )

    def unlink(self):
        """A step with a history is archived, not deleted: the ledger keeps
        naming the steps it acted on."""
        used = self._billing_used()
        used.active = False
        return super(BillingFollowupStep, self - used).unlink()

    def _billing_used(self):
        """The steps of `self` that some follow-up event names."""
        # sudo: history the user cannot read (other companies) counts too
        groups = (
            self.env["billing.followup.event"]
            .sudo()
            ._read_group([("step_id", "in", self.ids)], ["step_id"])
        )
        return self.browse([step.id for [step] in groups])

    def _billing_channels_text(self):
        """The step's actions in a few words, e.g. "Email, Activity"."""
        self.ensure_one()
        labels = [
            self._fields[name].get_description(self.env)["string"]
            for name in ("send_email", "create_activity", "print_letter")
            if self[name]
        ]
        if self.needs_review:
            labels.append(self.env._("after review"))
        return ", ".join(labels)

    def _billing_letter_title(self):
        """The letter's heading the customer reads: the step's own title,
        else one from its place in the ladder (never the internal name)."""
        self.ensure_one()
        if self.letter_title:
            return self.letter_title
        if self.offset_days <= 0:
            return self.env._("Upcoming payment")
        last = self.sequence_id.step_ids.sorted("offset_days")[-1:]
        if self == last:
            return self.env._("Final notice")
        return self.env._("Payment reminder")

    def action_preview(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview %(step)s", step=self.name),
            "res_model": "billing.followup.step.preview",
            "view_mode": "form",
            "target": "new",
            "context": {"default_step_id": self.id},
        }
