from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml

STATEMENT_REPORTS = (
    "billing_followup.report_statement_outstanding",
    "billing_followup.report_statement_activity",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Statements of several customers: one wkhtmltopdf run per customer
        where its Qt is not patched (Debian's), which refuses several
        documents in one run; Odoo then merges them into one PDF."""
        report = self._get_report(report_ref)
        if (
            report.report_name not in STATEMENT_REPORTS
            or not res_ids
            or _wkhtml().is_patched_qt
        ):
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids)
        customers = self.env["res.partner"].browse(res_ids).commercial_partner_id
        if len(customers) < 2:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids)
        streams = {}
        for customer in customers:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), customer.ids
                )
            )
        return streams
