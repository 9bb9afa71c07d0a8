import hashlib
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import split_every

from ..tools import followup_kinds as kinds
from .billing_followup_engine_statements import OUTSTANDING_REPORT
from .billing_statement_report import PrefetchedStatements

# PDFs rendered between two progress commits of a scheduled run.
PDF_CHUNK = 10
# A statement rendered by a run that stopped before attaching it is taken by
# its next runs for half a day, then deleted by the first run a day later.
STATEMENT_PDF_REUSE = timedelta(hours=12)
STATEMENT_PDF_LIFE = timedelta(days=1)
STATEMENT_TAG = "billing_followup_statement"


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
            waiting=len(run.due),
        )

    @api.model
    def _pass_statement_pdfs(self, run):
        """Render the outstanding statements of `run.statements` (those the
        planned reminders attach; the monthly statements' pass sets its
        own), a chunk at a time (`_pdf_chunks`), each kept with a digest of
        its figures: the message attaches it if the customer's figures are
        the same once locked (`_reuse_statement_pdfs`), else renders it
        again."""
        if run.statements:
            self._drop_statement_pdfs()
            run.statement_pdfs.update(self._stored_statement_pdfs(run.statements))

        def render(keys):
            run.statement_pdfs.update(
                self._render_statement_pdfs({key: run.statements[key] for key in keys})
            )

        missing = sorted(set(run.statements) - set(run.statement_pdfs))
        return self._pdf_chunks(
            run, missing, render, "statement_pdfs", waiting=len(run.statements)
        )

    @api.model
    def _pdf_chunks(self, run, items, render, label, waiting):
        """`render(chunk)` on `items` a chunk at a time; counts the items
        as `label`, and the `waiting` customers as left for the next run if
        it stops. A scheduled run commits each chunk and, when the
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
                counts["left_for_next_run"] += waiting
                break
        return counts

    @api.model
    def _render_statement_pdfs(self, due):
        """{key: (date, figures digest, attachment id, True)} of the
        statements of `due` ({(partner id, company id): date}): the figures
        read once per company and date, the PDFs stored as attachments of no
        event yet, their description naming what they are (`_describe`)."""
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
                if not figures[partner.id]:
                    continue  # nothing open: no statement goes out
                content, _type = Report.with_company(company)._render_qweb_pdf(
                    report, partner.ids, data=data
                )
                key, digest = (partner.id, company_id), _digest(figures[partner.id])
                rendered.append((key, on, digest))
                vals_list.append(
                    {
                        "name": self.env._("Statement %(date)s.pdf", date=on),
                        "description": _describe(key, on, digest),
                        "raw": content,
                        "mimetype": "application/pdf",
                        "res_model": "billing.followup.event",
                        "res_id": False,
                    }
                )
        # an attachment of the event to come, which users may only read
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        return {
            key: (on, digest, attachment.id, True)
            for (key, on, digest), attachment in zip(rendered, attachments, strict=True)
        }

    @api.model
    def _stored_statement_pdfs(self, due):
        """{key: (date, digest, attachment id, False)} of the statements of
        `due` a run that stopped rendered and no message took yet: its next
        run goes on from them instead of rendering them all again. Left to
        the daily clean-up (`_drop_statement_pdfs`), not to this run, which
        another worker may share them with."""
        # sudo: the engine's own files, whoever runs it
        found = (
            self.env["ir.attachment"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", "billing.followup.event"),
                    ("res_id", "=", False),
                    ("description", "=like", f"{STATEMENT_TAG}:%"),
                    ("create_date", ">=", fields.Datetime.now() - STATEMENT_PDF_REUSE),
                ],
                ["description"],
            )
        )
        stored = {}
        for attachment in found:
            key, on, digest = _read_description(attachment.description)
            if due.get(key) == on:
                stored[key] = (on, digest, attachment.id, False)
        return stored

    @api.model
    def _reuse_statement_pdfs(self, events):
        """{event id: attachment id} of the statements rendered before the
        lock (context `billing_prerendered_statements`) that `events` may
        attach: same customer, date and figures (one read per company and
        date); each becomes the event's attachment."""
        prerendered = self.env.context.get("billing_prerendered_statements") or {}
        events = events.filtered(
            lambda e: (
                e.kind == kinds.STATEMENT
                or (e.kind == kinds.EMAIL and e.step_id.attach_statement)
            )
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
                pre_on, digest, _attachment_id, _own = prerendered[key]
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
        """Delete the statements `run` rendered that no message took (the
        customer was skipped, or paid meanwhile); without a run, those left
        by runs that stopped a day ago or more."""
        # sudo: the engine's own files, whoever runs it
        Attachment = self.env["ir.attachment"].sudo()
        if run is not None:
            ids = [pdf[2] for pdf in run.statement_pdfs.values() if pdf[3]]
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


def _describe(key, on, digest):
    """What a statement rendered before its message is: customer, company,
    date and digest of its figures."""
    return f"{STATEMENT_TAG}:{key[0]}:{key[1]}:{on.isoformat()}:{digest}"


def _read_description(description):
    """((partner id, company id), date, digest) of `_describe`."""
    _tag, partner_id, company_id, on, digest = description.split(":")
    return (int(partner_id), int(company_id)), date.fromisoformat(on), digest


def _digest(blocks):
    """A digest of a customer's statement figures: equal digests, same PDF."""
    return hashlib.md5(repr(blocks).encode()).hexdigest()
