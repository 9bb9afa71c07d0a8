from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .res_partner import FOLLOWUP_GROUP


class PrefetchedStatements(dict):
    """{commercial partner id: outstanding blocks} read for a batch of
    customers on one date and company, handed to the report by the engine
    (server side only: a client's JSON cannot build one), so rendering each
    customer's PDF does not query its figures again."""


def last_month(today):
    """(first day, last day) of the month before `today`'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class BillingStatementReportMixin(models.AbstractModel):
    """What both statements share: their customers (commercial entities,
    once each), the company they are about and who may print them. The
    figures are read with SQL, past the ledger's access rules: only
    follow-up users (or code acting for the customer, as superuser) print
    them, and only for a company they work in."""

    _name = "billing.statement.report.mixin"
    _description = "Customer Statement Report"

    @api.model
    def _statement_context(self, docids, data):
        if not (self.env.su or self.env.user.has_group(FOLLOWUP_GROUP)):
            raise AccessError(
                self.env._("Only follow-up users may print customer statements.")
            )
        company = self.env.company
        if data and data.get("company_id"):
            company = self.env["res.company"].browse(data["company_id"])
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You do not work in %(company)s: its statements are not yours "
                    "to print.",
                    company=company.display_name,
                )
            )
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        return partners, company


class ReportStatementOutstanding(models.AbstractModel):
    _name = "report.billing_followup.report_statement_outstanding"
    _description = "Outstanding Statement"
    _inherit = ["billing.statement.report.mixin"]

    @api.model
    def _get_report_values(self, docids, data=None):
        """`data`: "date" (default today), "company_id" (default the
        current company), "prefetched" (`PrefetchedStatements` of that date
        and company)."""
        data = data or {}
        partners, company = self._statement_context(docids, data)
        on = fields.Date.to_date(data.get("date")) or fields.Date.context_today(self)
        statements = data.get("prefetched")
        if not isinstance(statements, PrefetchedStatements) or not set(
            partners.ids
        ) <= set(statements):
            statements = partners._billing_outstanding_statements(on, company)
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company_id": company,
            "statement_date": on,
            "statements": statements,
            "bank_accounts": company.partner_id.bank_ids.mapped("display_name"),
        }


class ReportStatementActivity(models.AbstractModel):
    _name = "report.billing_followup.report_statement_activity"
    _description = "Activity Statement"
    _inherit = ["billing.statement.report.mixin"]

    @api.model
    def _get_report_values(self, docids, data=None):
        """`data`: "date_from", "date_to" (default last month), "company_id"
        (default the current company)."""
        data = data or {}
        partners, company = self._statement_context(docids, data)
        default_from, default_to = last_month(fields.Date.context_today(self))
        date_from = fields.Date.to_date(data.get("date_from")) or default_from
        date_to = fields.Date.to_date(data.get("date_to")) or default_to
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company_id": company,
            "date_from": date_from,
            "date_to": date_to,
            "statements": partners._billing_activity_statements(
                date_from, date_to, company
            ),
        }
