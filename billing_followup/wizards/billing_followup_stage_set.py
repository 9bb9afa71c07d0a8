from odoo import fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "billing_followup.billing_followup_group_manager"


class BillingFollowupStageSet(models.TransientModel):
    """A manager sets customers' stage by hand, with a reason; the follow-up
    then leaves it until released or nothing is overdue any more."""

    _name = "billing.followup.stage.set"
    _description = "Set a Customer's Stage"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    stage_id = fields.Many2one("billing.followup.stage", "Stage", required=True)
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only follow-up managers set a customer's stage by hand.")
            )
        customers = self.partner_ids.commercial_partner_id
        customers.check_access("read")
        # sudo: the manager sets the stage without the right to edit contacts
        customers.sudo().with_context(billing_stage_reason=self.reason).write(
            {"billing_stage_id": self.stage_id.id}
        )
        # the kanban or form underneath shows the new stage
        return {"type": "ir.actions.client", "tag": "soft_reload"}
