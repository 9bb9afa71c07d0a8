from odoo import api, models
from odoo.exceptions import UserError

from ..tools import followup_kinds as kinds
from ..tools import payment_plan as plan_logic


class BillingFollowupEnginePaymentPlan(models.AbstractModel):
    """The engine's side of payment plans: plans are settled before the run
    decides, so a plan broken today puts its invoices back on the ladder in
    the same run; instalment messages go through the engine's email path."""

    _inherit = "billing.followup.engine"

    @api.model
    def _plan_run(self, run):
        """Settle the payment plans first: the decision reads which invoices
        are still planned."""
        counts = self._run_pass(run, "billing.payment.plan", "_pass_settle_plans")
        counts.update(super()._plan_run(run))
        return counts

    @api.model
    def _plan_moves(self, moves):
        """(ids of `moves` in a running plan: what the decision leaves out,
        {id: the day its plan broke} for the others once in a broken plan:
        late fees count from then on)."""
        if not moves:
            return set(), {}
        # the engine reads plans of every user's customers
        plans = (
            self.env["billing.payment.plan"]
            .sudo()
            .search_fetch(
                [
                    ("state", "in", (plan_logic.RUNNING, plan_logic.BROKEN)),
                    ("move_ids", "in", moves.ids),
                ],
                ["move_ids", "state", "date_broken"],
            )
        )
        running = plans.filtered(lambda plan: plan.state == plan_logic.RUNNING)
        planned = set(running.move_ids.ids) & set(moves.ids)
        broken = {}
        for plan in (plans - running).filtered("date_broken"):
            for move_id in set(plan.move_ids.ids) & set(moves.ids) - planned:
                broken[move_id] = max(
                    broken.get(move_id, plan.date_broken), plan.date_broken
                )
        return planned, broken

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (7, "billing.payment.plan", "_pass_plan_reminders"),
        ]

    @api.model
    def _perform_plan(self, events):
        self._send_emails(events)

    @api.model
    def _perform_loyalty(self, events):
        """A loyalty credit is written on the invoice it reduces: no message."""

    @api.model
    def _email_template(self, event):
        if event.kind != kinds.PLAN:
            return super()._email_template(event)
        what = event.key.rsplit(":", 1)[-1]
        template = self.env.ref(
            f"billing_followup.mail_template_plan_{what}", raise_if_not_found=False
        )
        if not template:
            raise UserError(self.env._("The payment plan message template is missing."))
        return template
