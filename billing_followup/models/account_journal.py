from odoo import models
from odoo.fields import Domain

FOLLOWUP_GROUP = "billing_followup.billing_followup_group_user"


class AccountJournal(models.Model):
    """The Invoicing overview shows the follow-up's counts on each
    company's first sales journal: to review, failed emails, customers
    overdue (from the review list and the worklist, the lists their links
    open), in three queries whatever the number of journals."""

    _inherit = "account.journal"

    def _fill_sale_purchase_dashboard_data(self, dashboard_data):
        super()._fill_sale_purchase_dashboard_data(dashboard_data)
        if not self.env.user.has_group(FOLLOWUP_GROUP):
            return
        cards = self._billing_followup_cards()
        if not cards:
            return
        companies = self.env["res.company"].browse([c.id for c in cards])
        counts = {
            key: self._billing_count(model, domain, companies)
            for key, (model, domain) in self._billing_followup_counts().items()
        }
        for company, journal in cards.items():
            dashboard_data[journal.id].update(
                {key: values.get(company, 0) for key, values in counts.items()}
            )

    def _billing_followup_counts(self):
        """{dashboard key: (model, domain)} of the counts, each the list its
        link opens."""
        return {
            "billing_to_review": ("billing.followup.review", Domain.TRUE),
            "billing_failed_emails": (
                "billing.followup.worklist",
                Domain("failed_email_count", ">", 0),
            ),
            "billing_overdue": (
                "billing.followup.worklist",
                Domain("overdue_amount", ">", 0),
            ),
        }

    def _billing_count(self, model, domain, companies):
        groups = self.env[model]._read_group(
            domain & Domain("company_id", "in", companies.ids),
            ["company_id"],
            ["__count"],
        )
        return dict(groups)

    def _billing_followup_cards(self):
        """{company: its first sales journal among `self`}."""
        cards = {}
        for journal in self.filtered(lambda j: j.type == "sale").sorted(
            lambda j: (j.sequence, j.id)
        ):
            cards.setdefault(journal.company_id, journal)
        return cards

    # ACTIONS

    def _billing_open(self, xmlid, search_default=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("company_id", "=", self.company_id.id)]
        if search_default:
            action["context"] = {f"search_default_{search_default}": 1}
        return action

    def action_billing_followup_review(self):
        return self._billing_open("billing_followup.billing_followup_review_action")

    def action_billing_failed_emails(self):
        return self._billing_open(
            "billing_followup.billing_followup_worklist_action", "failed_email"
        )

    def action_billing_customers_overdue(self):
        return self._billing_open(
            "billing_followup.billing_followup_worklist_action", "overdue"
        )
