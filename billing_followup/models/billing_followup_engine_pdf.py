import hashlib
import time
from collections import Counter, defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import split_every

from ..tools import followup_kinds as kinds
from .billing_followup_engine_statements import OUTSTANDING_REPORT
from .billing_statement_report import PrefetchedStatements

# PDFs rendered between two progress commits of a scheduled run.
PDF_CHUNK = 10
# A statement rendered for a run that never attached it (the run stopped) is
# deleted by the first run a day later.
STATEMENT_PDF_LIFE = timedelta(days=1)


class BillingFollowupEnginePdf(models.AbstractModel):
    """The PDFs the run's reminders attach (invoices, statements), rendered
    before the reminders lock their customers: a PDF takes a second or
    more, so a customer with many invoices never sent would otherwise hold
    its lock (and its batch's) for minutes."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (15, "billing.followup.engine", "_pass_invoice_pdfs"),
            (16, "billing.followup.engine", "_pass_statement_pdfs"),
        ]

    @api.model
    def _pass_invoice_pdfs(self, run):
        """Render and store, as Odoo does when it sends an invoice, the PDFs
        of the invoices the planned reminders attach and Odoo has not stored
        yet, a chunk at a time (`_pdf_chunks`)."""
        lines = self.env["account.move.line"].browse(sorted(run.attach))
        moves = lines.move_id.filtered(
            lambda m: m.is_sale_document()
            and m.is_inbound()
            and not m.invoice_pdf_report_id
        )
        return self._pdf_chunks(
            run,
            moves.ids,
            lambda ids: self._invoice_pdfs(moves.browse(ids)),
            "invoice_pdfs",
        )

    @api.model
    def _pass_statement_pdfs(self, run):
        """Render the outstanding statements the planned reminders attach,
        a chunk at a time (`_pdf_chunks`), each kept with a digest of its
        figures: the reminder attaches it if the customer's figures are the
        same once locked (`_reuse_statement_pdfs`), else renders it again."""
        if run.statements:
            self._drop_statement_pdfs()

        def render(keys):
            run.statement_pdfs.update(
                self._render_statement_pdfs({key: run.statements[key] for key in keys})
            )

        return self._pdf_chunks(run, sorted(run.statements), render, "statement_pdfs")

    @api.model
    def _pdf_chunks(self, run, items, render, label):
        """`render(chunk)` on `items` a chunk at a time; counts the items
        as `label`. A scheduled run commits each chunk and, when the
        time the scheduled action has left would not fit the next one,
        stops (`run.out_of_time`): its next run goes on from what is stored
        and the reminders wait for it."""
        counts = Counter({label: 0})
        done = 0
        for chunk in split_every(PDF_CHUNK, items, list):
            started = time.monotonic()
            with self.env.cr.savepoint():
                render(chunk)
            done += len(chunk)
            counts[label] += len(chunk)
            if not run.commit:
                continue
            time_left = self.env["ir.cron"]._commit_progress(
                len(chunk), remaining=len(items) - done
            )
            per_pdf = (time.monotonic() - started) / len(chunk)
            if done < len(items) and time_left <= per_pdf * PDF_CHUNK:
                run.out_of_time = True
                counts["left_for_next_run"] += len(run.due)
                break
        return counts

    @api.model
    def _render_statement_pdfs(self, due):
        """{key: (date, figures digest, attachment id)} of the statements of
        `due` ({(partner id, company id): date}): the figures read once per
        company and date, the PDFs stored as attachments of no record yet."""
        by_day = defaultdict(list)
        for key, on in due.items():
            by_day[key[1], on].append(key[0])
        Report = self.env["ir.actions.report"]
        report = self.env.ref(OUTSTANDING_REPORT)
        rendered, vals_list = [], []
        for (company_id, on), partner_ids in by_day.items():
            company = self.env["res.company"].browse(company_id)
            partners = self.env["res.partner"].browse(partner_ids)
            figures = PrefetchedStatements(
                partners._billing_outstanding_statements(on, company)
            )
            data = {
                "date": fields.Date.to_string(on),
                "company_id": company_id,
                "prefetched": figures,
            }
            for partner in partners:
                content, _type = Report.with_company(company)._render_qweb_pdf(
                    report, partner.ids, data=data
                )
                rendered.append(
                    ((partner.id, company_id), on, _digest(figures[partner.id]))
                )
                vals_list.append(
                    {
                        "name": self.env._("Statement %(date)s.pdf", date=on),
                        "raw": content,
                        "mimetype": "application/pdf",
                        "res_model": "billing.followup.event",
                        "res_id": False,
                    }
                )
        # an attachment of the event to come, which users may only read
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        return {
            key: (on, digest, attachment.id)
            for (key, on, digest), attachment in zip(rendered, attachments, strict=True)
        }

    @api.model
    def _reuse_statement_pdfs(self, events):
        """{event id: attachment id} of the statements rendered before the
        lock (context `billing_prerendered_statements`) that `events` may
        attach: same customer, date and figures (one read per company and
        date); each becomes the event's attachment."""
        prerendered = self.env.context.get("billing_prerendered_statements") or {}
        events = events.filtered(
            lambda e: e.kind == kinds.EMAIL
            and e.step_id.attach_statement
            and (e.partner_id.id, e.company_id.id) in prerendered
        )
        by_day = defaultdict(lambda: events.browse())
        for event in events:
            by_day[event.company_id, event.date] |= event
        reused = {}
        for (company, on), group in by_day.items():
            figures = group.partner_id._billing_outstanding_statements(on, company)
            for event in group:
                key = (event.partner_id.id, event.company_id.id)
                pre_on, digest, attachment_id = prerendered[key]
                if pre_on == on and digest == _digest(figures[event.partner_id.id]):
                    reused[event.id] = prerendered.pop(key)[2]
        attachments = self.env["ir.attachment"].sudo().browse(reused.values())
        for event_id, attachment in zip(reused, attachments, strict=True):
            # an attachment of the event, which users may only read
            attachment.write(
                {"res_model": "billing.followup.event", "res_id": event_id}
            )
        return reused

    @api.model
    def _drop_statement_pdfs(self, run=None):
        """Delete the statements rendered for `run` that no reminder took
        (the customer was skipped, or paid meanwhile); without a run, those
        left by runs that stopped a day ago or more."""
        # sudo: the engine's own files, whoever runs it
        Attachment = self.env["ir.attachment"].sudo()
        if run is not None:
            ids = [
                attachment_id for _on, _d, attachment_id in run.statement_pdfs.values()
            ]
            run.statement_pdfs.clear()
            left = Attachment.browse(ids).exists()
        else:
            left = Attachment.search(
                [
                    ("res_model", "=", "billing.followup.event"),
                    ("res_id", "=", False),
                    ("create_date", "<", fields.Datetime.now() - STATEMENT_PDF_LIFE),
                ]
            )
        left.filtered(lambda a: not a.res_id).unlink()


def _digest(blocks):
    """A digest of a customer's statement figures: equal digests, same PDF."""
    return hashlib.md5(repr(blocks).encode()).hexdigest()
