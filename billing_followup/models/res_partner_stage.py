from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning
from odoo.fields import Domain

from ..tools import followup_kinds as kinds

FOLLOWUP_GROUP = "billing_followup.billing_followup_group_user"
MANAGER_GROUP = "billing_followup.billing_followup_group_manager"


class ResPartnerStage(models.Model):
    """The customer's standing on the escalation ladder: set by the engine's
    steps, or fixed by a manager (`billing_stage_manual`), every change
    logged as a `stage` event."""

    _inherit = "res.partner"

    billing_stage_id = fields.Many2one(group_expand="_read_group_billing_stage_ids")
    billing_stage_manual = fields.Boolean(
        "Stage Set by Hand",
        company_dependent=True,
        help="A manager fixed this stage: the follow-up neither raises nor lowers "
        "it until a manager releases it or nothing is overdue any more.",
        groups=FOLLOWUP_GROUP,
    )
    billing_credit_hold = fields.Boolean(search="_search_billing_credit_hold")
    billing_stage_event_ids = fields.One2many(
        "billing.followup.event",
        "partner_id",
        "Stage History",
        domain=[("kind", "in", (kinds.STAGE, kinds.HANDOVER))],
    )
    billing_recovered_amount = fields.Monetary(
        "Recovered Since Hand-over",
        compute="_compute_billing_recovered_amount",
        currency_field="billing_currency_id",
        help="Payments received since the customer was handed over to the "
        "last resort.",
    )

    @api.model
    def _read_group_billing_stage_ids(self, stages, domain):
        return stages.search([])

    def _search_billing_credit_hold(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        Stage = self.env["billing.followup.stage"]
        holding = Stage.search([("credit_hold", "=", True)])
        positive = (operator == "=") == value
        # sudo: everyone dealing with the customer may filter on the hold
        ids = (
            self.sudo()
            .with_context(active_test=False)
            ._search(Domain("billing_stage_id", "in", holding.ids or [0]))
        )
        return Domain("id", "in" if positive else "not in", ids)

    @api.depends_context("company")
    def _compute_billing_recovered_amount(self):
        """Money received since the latest hand-over: the customer's
        receivable entries in bank and cash journals (payments, statement
        lines reconciled by hand), not credit notes or write-offs."""
        company = self.env.company
        customers = self.commercial_partner_id
        # sudo: the hand-over date and the money received are shown to
        # whoever sees the customer's follow-up
        handovers = dict(
            self.env["billing.followup.event"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("kind", "=", kinds.HANDOVER),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        received = {
            customer: self._billing_received_since(customer, company, on)
            for customer, on in handovers.items()
        }
        for partner in self:
            partner.billing_recovered_amount = received.get(
                partner.commercial_partner_id, 0.0
            )

    @api.model
    def _billing_received_since(self, customer, company, on):
        # sudo: see _compute_billing_recovered_amount
        [[balance]] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", customer.id),
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    ("account_type", "=", "asset_receivable"),
                    ("journal_id.type", "in", ("bank", "cash", "credit")),
                    ("date", ">=", on),
                ],
                [],
                ["balance:sum"],
            )
        )
        return -balance

    def write(self, vals):
        """A stage set by anyone but the engine is a manager's manual stage,
        logged with its reason (`billing_stage_reason` in the context);
        without one (a card dragged in the kanban) the Set Stage wizard asks
        for it, and the customer stays where it was until then."""
        if "billing_stage_id" not in vals or self.env.context.get(
            "billing_stage_engine"
        ):
            return super().write(vals)
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only follow-up managers set a customer's stage by hand.")
            )
        stage = self.env["billing.followup.stage"].browse(vals["billing_stage_id"])
        reason = self.env.context.get("billing_stage_reason")
        if not reason:
            self._billing_ask_stage_reason(stage)
        before = {p: p.sudo().billing_stage_id for p in self}
        vals = dict(vals, billing_stage_manual=stage != stage._lowest())
        result = super().write(vals)
        self.filtered(lambda p: before[p] != stage)._billing_log_manual_stage(
            stage, before, reason
        )
        return result

    def _billing_ask_stage_reason(self, stage):
        raise RedirectWarning(
            self.env._(
                "Moving %(customers)s to %(stage)s by hand needs a reason: the "
                "follow-up then leaves the stage alone until it is released.",
                customers=", ".join(self.mapped("display_name")),
                stage=stage.display_name,
            ),
            self.env.ref("billing_followup.billing_followup_stage_set_action").id,
            self.env._("Give a Reason"),
            {
                "active_model": self._name,
                "active_ids": self.ids,
                "default_stage_id": stage.id,
            },
        )

    def _billing_log_manual_stage(self, stage, before, reason):
        company, today = self.env.company, fields.Date.context_today(self)
        # the ledger is written for the manager: users only read it
        self.env["billing.followup.event"].sudo().create(
            [
                {
                    "partner_id": partner.commercial_partner_id.id,
                    "company_id": company.id,
                    "date": today,
                    "kind": kinds.STAGE,
                    "stage_id": stage.id,
                    "stage_from_id": before[partner].id,
                    "note": reason,
                }
                for partner in self
            ]
        )

    def action_billing_release_stage(self):
        """Give the stage back to the follow-up: the next run moves it."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only follow-up managers release a manual stage.")
            )
        # the flag is a follow-up field the manager may not write on contacts
        self.sudo().billing_stage_manual = False
        for partner in self:
            partner.sudo().with_context(billing_followup_engine=True).message_post(
                body=self.env._(
                    "Stage released by %(user)s: the follow-up moves it again.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
