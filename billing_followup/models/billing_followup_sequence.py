from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BillingFollowupSequence(models.Model):
    """An ordered ladder of reminder steps, with its sending rules."""

    _name = "billing.followup.sequence"
    _description = "Reminder Sequence"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the sequence between companies.",
    )
    step_ids = fields.One2many("billing.followup.step", "sequence_id", copy=True)
    min_interval_days = fields.Integer(
        "Minimum Days Between Messages",
        default=3,
        help="Whatever the step, a customer contacted less than this many days "
        "ago (by a reminder or by hand) is not contacted again yet.",
    )
    send_hour_from = fields.Float("Send From", default=8.0)
    send_hour_to = fields.Float("Send Until", default=17.0)
    send_weekday_ids = fields.Many2many(
        "billing.followup.weekday",
        string="Sending Days",
        default=lambda self: self.env["billing.followup.weekday"].search(
            [("number", "<", 5)]
        ),
        help="Days of the week, in the customer's time zone, when messages go "
        "out. Scheduled runs also wait for the send window hours.",
    )
    promise_grace_days = fields.Integer(
        "Promise Grace (days)",
        default=2,
        help="Days after a promise to pay's date before its invoices are "
        "reminded again and the promise counts as broken.",
    )
    reply_pause_days = fields.Integer(
        "Pause After a Reply (days)",
        default=3,
        help="When a client replies to a follow-up email, automated reminders "
        "wait this many days after the reply, or until someone acts (a message "
        "or call, a promise, a pause, or Handled). 0: a reply pauses nothing.",
    )
    payday_lead_days = fields.Integer(
        "Heads-up Days Before Payment Day",
        help="For a customer known to pay on one day of the month, the "
        "heads-up goes out this many days before that day (the one before "
        "the due date) instead of at the step's offset. 0: always the offset.",
    )
    late_fee_policy_id = fields.Many2one(
        "billing.late.fee.policy",
        help="Charged by the steps that charge a fee, for customers whose "
        "contract or own settings set no policy. A sequence shared by all "
        "companies charges it only to the customers of the policy's company.",
    )
    statement_day = fields.Integer(
        "Monthly Statement Day",
        help="Day of the month (1-28) on which its customers receive their "
        "statement of open items by email; 0: none. A customer may set its own "
        "day or opt out.",
    )
    send_thanks = fields.Boolean(
        "Thank When Paid",
        help="Send a short thank-you when a customer pays reminded items.",
    )
    thanks_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "billing.followup.event")],
        string="Thank-you Template",
    )

    @api.constrains(
        "min_interval_days",
        "promise_grace_days",
        "reply_pause_days",
        "send_hour_from",
        "send_hour_to",
        "statement_day",
    )
    def _check_rules(self):
        for sequence in self:
            if sequence.reply_pause_days < 0:
                raise ValidationError(
                    self.env._(
                        "The pause after a client's reply of %(name)s cannot be "
                        "negative.",
                        name=sequence.name,
                    )
                )
            if sequence.promise_grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "The grace after a promise to pay of %(name)s cannot be "
                        "negative.",
                        name=sequence.name,
                    )
                )
            if not 0 <= sequence.statement_day <= 28:
                raise ValidationError(
                    self.env._(
                        "The monthly statement day of %(name)s must be between 1 "
                        "and 28 (0: no monthly statement).",
                        name=sequence.name,
                    )
                )
            if sequence.min_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum number of days between two messages of "
                        "%(name)s cannot be negative.",
                        name=sequence.name,
                    )
                )
            if not 0 <= sequence.send_hour_from < sequence.send_hour_to <= 24:
                raise ValidationError(
                    self.env._(
                        "The send window of %(name)s must start before it ends, "
                        "between 00:00 and 24:00.",
                        name=sequence.name,
                    )
                )
            if sequence.send_hour_to - sequence.send_hour_from < 1:
                # the scheduled action runs hourly: a shorter window can be missed
                raise ValidationError(
                    self.env._(
                        "The send window of %(name)s must last at least one hour: "
                        "the scheduled action runs once an hour.",
                        name=sequence.name,
                    )
                )

    @api.constrains("company_id", "late_fee_policy_id")
    def _check_late_fee_policy_company(self):
        """A shared sequence (no company) may carry a company's policy: the
        shipped default sequence must be able to charge fees."""
        for sequence in self:
            policy = sequence.late_fee_policy_id
            if (
                policy
                and sequence.company_id
                and policy.company_id != sequence.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "The late fee policy %(policy)s belongs to another company "
                        "than the sequence %(sequence)s.",
                        policy=policy.display_name,
                        sequence=sequence.display_name,
                    )
                )

    @api.constrains("send_weekday_ids")
    def _check_send_weekdays(self):
        for sequence in self:
            if not sequence.send_weekday_ids:
                raise ValidationError(
                    self.env._(
                        "%(name)s has no sending day: choose at least one day of "
                        "the week when its messages may go out.",
                        name=sequence.name,
                    )
                )

    def unlink(self):
        """A sequence whose steps have a history is archived rather than
        deleted: the ledger keeps naming its steps."""
        steps = self.with_context(active_test=False).step_ids
        used = steps._billing_used().sequence_id
        used.active = False
        return super(BillingFollowupSequence, self - used).unlink()

    @api.constrains("send_thanks", "thanks_template_id")
    def _check_thanks(self):
        for sequence in self:
            if sequence.send_thanks and not sequence.thanks_template_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s thanks customers who pay: choose the "
                        "thank-you template.",
                        name=sequence.name,
                    )
                )
