from odoo import api, models
from odoo.tools import SQL


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        """Odoo re-points the follow-up events of the merged customers with
        one UPDATE, which the ledger's unique (customer, company, key) index
        refuses when two of them had the same step in the same cycle: the
        merge would fail. Such an event keeps its history under its key
        marked as merged, so every event survives the merge. The worklist
        rows of the merged customers are derived data: they are dropped and
        the next refresh writes the surviving customer's row."""
        self._billing_mark_merged_events(src_partners, dst_partner)
        # sudo: the worklist is read-only to users, the merge drops its rows
        self.env["billing.followup.worklist"].sudo().search(
            [("partner_id", "in", src_partners.ids)]
        ).unlink()  # sudo: the worklist is written only by the engine
        return super()._update_foreign_keys(src_partners, dst_partner)

    def _update_values(self, src_partners, dst_partner):
        """The survivor keeps a merged customer's stage as data, not as a
        manager's decision: no reason to ask, no manual stage logged."""
        return super()._update_values(
            src_partners, dst_partner.with_context(billing_stage_engine=True)
        )

    @api.model
    def _billing_mark_merged_events(self, src_partners, dst_partner):
        self.env["billing.followup.event"].flush_model(["key"])
        self.env.execute_query(
            SQL(
                """UPDATE billing_followup_event event
                      SET key = event.key || ':merged:' || event.partner_id
                    WHERE event.partner_id IN %(src)s AND event.key IS NOT NULL
                      AND EXISTS (
                          SELECT 1 FROM billing_followup_event other
                           WHERE other.company_id = event.company_id
                             AND other.key = event.key
                             AND (other.partner_id = %(dst)s
                                  OR (other.partner_id IN %(src)s
                                      AND other.id < event.id)))""",
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )
