import time
from collections import Counter

from odoo import api, models
from odoo.tools import split_every

# Invoice PDFs rendered between two progress commits of a scheduled run.
PDF_CHUNK = 10


class BillingFollowupEnginePdf(models.AbstractModel):
    """The invoice PDFs the run's reminders attach, rendered before the
    reminders lock their customers: a PDF takes a second or more, so a
    customer with many invoices never sent would otherwise hold its lock
    (and its batch's) for minutes."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (15, "billing.followup.engine", "_pass_invoice_pdfs"),
        ]

    @api.model
    def _pass_invoice_pdfs(self, run):
        """Render and store, as Odoo does when it sends an invoice, the PDFs
        of the invoices the planned reminders attach and Odoo has not stored
        yet, a chunk at a time. A scheduled run commits each chunk and, when
        the time the scheduled action has left would not fit the next one,
        stops (`run.out_of_time`): its next run goes on from what is stored
        and the reminders wait for it."""
        lines = self.env["account.move.line"].browse(sorted(run.attach))
        moves = lines.move_id.filtered(
            lambda m: m.is_sale_document()
            and m.is_inbound()
            and not m.invoice_pdf_report_id
        )
        counts = Counter(invoice_pdfs=0)
        done = 0
        for chunk in split_every(PDF_CHUNK, moves.ids, self.env["account.move"].browse):
            started = time.monotonic()
            with self.env.cr.savepoint():
                self._invoice_pdfs(chunk)
            done += len(chunk)
            counts["invoice_pdfs"] += len(chunk)
            if not run.commit:
                continue
            time_left = self.env["ir.cron"]._commit_progress(
                len(chunk), remaining=len(moves) - done
            )
            per_pdf = (time.monotonic() - started) / len(chunk)
            if done < len(moves) and time_left <= per_pdf * PDF_CHUNK:
                run.out_of_time = True
                counts["left_for_next_run"] += len(run.due)
                break
        return counts
