from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import followup_kinds as kinds

FOLLOWUP_GROUP = "billing_followup.billing_followup_group_user"


class AccountJournal(models.Model):
    """The Invoicing overview shows the follow-up's counts on each
    company's first sales journal: to review, failed emails, customers
    overdue, in three queries whatever the number of journals."""

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
            "billing_to_review": self._billing_count_to_review(companies),
            "billing_failed_emails": {
                company: len(partners)
                for company, partners in self._billing_failed_emails(companies).items()
            },
            "billing_overdue": self._billing_count_overdue(companies),
        }
        for company, journal in cards.items():
            dashboard_data[journal.id].update(
                {key: values.get(company, 0) for key, values in counts.items()}
            )

    def _billing_followup_cards(self):
        """{company: its first sales journal among `self`}."""
        cards = {}
        for journal in self.filtered(lambda j: j.type == "sale").sorted(
            lambda j: (j.sequence, j.id)
        ):
            cards.setdefault(journal.company_id, journal)
        return cards

    def _billing_count_to_review(self, companies):
        groups = self.env["billing.followup.review"]._read_group(
            [("company_id", "in", companies.ids)], ["company_id"], ["__count"]
        )
        return dict(groups)

    def _billing_failed_emails(self, companies):
        """{company: event ids} of the customers whose last follow-up email
        failed, in one query."""
        rows = self.env.execute_query(
            SQL(
                """SELECT company_id, id, state FROM (
                       SELECT DISTINCT ON (partner_id, company_id)
                              company_id, id, state
                         FROM billing_followup_event
                        WHERE company_id IN %s AND kind = %s AND state IN %s
                     ORDER BY partner_id, company_id, date DESC, id DESC) last""",
                tuple(companies.ids),
                kinds.EMAIL,
                (kinds.DONE, kinds.FAILED),
            )
        )
        failed = {}
        for company_id, event_id, state in rows:
            if state == kinds.FAILED:
                failed.setdefault(companies.browse(company_id), []).append(event_id)
        return failed

    def _billing_overdue_domain(self, companies):
        engine = self.env["billing.followup.engine"]
        return (
            engine._open_line_domain()
            & Domain("company_id", "in", companies.ids)
            & Domain("date_maturity", "<", engine._today())
        )

    def _billing_count_overdue(self, companies):
        groups = self.env["account.move.line"]._read_group(
            self._billing_overdue_domain(companies),
            ["company_id"],
            ["partner_id:count_distinct"],
        )
        return dict(groups)

    # ACTIONS

    def action_billing_followup_review(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_followup_review_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action

    def action_billing_failed_emails(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_followup_event_action"
        )
        ids = self._billing_failed_emails(self.company_id).get(self.company_id, [])
        action["domain"] = [("id", "in", ids)]
        action["name"] = self.env._("Failed Emails")
        return action

    def action_billing_customers_overdue(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.res_partner_action_billing_followup"
        )
        groups = self.env["account.move.line"]._read_group(
            self._billing_overdue_domain(self.company_id), ["partner_id"]
        )
        action["domain"] = [("id", "in", [partner.id for [partner] in groups])]
        action["name"] = self.env._("Customers Overdue")
        return action
