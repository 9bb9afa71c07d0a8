from collections import Counter, defaultdict

from odoo import Command, api, fields, models

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds
from ..tools import statement
from .billing_statement_report import PrefetchedStatements

OUTSTANDING_REPORT = "billing_followup.action_report_statement_outstanding"


class BillingFollowupEngineStatements(models.AbstractModel):
    """The monthly statement pass: a customer whose statement day (its own,
    else its sequence's) has come this month receives its outstanding
    statement by email with the PDF, once a month (`statement:<YYYY-MM>`
    key), never with nothing open, on a day nothing else reached it."""

    _inherit = "billing.followup.engine"

    @api.model
    def _billing_passes(self):
        return [
            *super()._billing_passes(),
            (25, "billing.followup.engine", "_pass_statements"),
        ]

    @api.model
    def _pass_statements(self, run):
        due = {}
        keys = self._may_get_statements(self._run_candidates(run))
        for batch in self._batches(keys):
            due.update(self._statements_due(run, batch))
        counts = Counter({kinds.COUNT_KEYS[kinds.STATEMENT]: 0})
        # the PDFs first, outside the customers' locks (as the reminders')
        run.statements = due
        counts.update(self._pass_statement_pdfs(run))
        if run.out_of_time:
            self._drop_statement_pdfs(run)
            return counts
        engine = self.with_context(billing_prerendered_statements=run.statement_pdfs)
        counts.update(
            engine._in_batches(
                run,
                sorted(due),
                lambda batch: engine._send_statements({key: due[key] for key in batch}),
                kinds.STATEMENT,
            )
        )
        self._drop_statement_pdfs(run)
        return counts

    @api.model
    def _statements_due(self, run, keys):
        """{key: date} of the customers of `keys` whose monthly statement is
        due: its day has come this month, none was sent this month, the
        customer is neither excluded, paused nor opted out, nothing reached
        it today, and the company has an address to send from."""
        local = self._local_nows(keys, run.now) if run.date is None else {}
        dates = {key: run.date or local[key].date() for key in keys}
        settings = self._settings(keys, dates)
        sent, contacted = self._statement_history(keys, dates)
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        due = {}
        for key in keys:
            sequence, rules = settings[key]
            on, company = dates[key], Company.browse(key[1])
            partner = Partner.browse(key[0]).with_company(company)
            day = partner.billing_statement_day or sequence.statement_day
            if (
                not statement.statement_due(day, partner.billing_statement_opt_out, on)
                or (run.date is None and not self._in_send_window(sequence, local[key]))
                or not logic.may_thank(rules, on)
                or (rules.paused_until and rules.paused_until >= on)
                or (key, kinds.statement_key(on)) in sent
                or (key, on) in contacted
                or not company.email
            ):
                continue
            due[key] = on
        return due

    @api.model
    def _statement_history(self, keys, dates):
        """({(key, statement key)} already recorded, {(key, date)} of the
        contacts made on the dates of `keys`), in one query."""
        if not keys:
            return set(), set()
        # sudo: the whole ledger counts, also what the user cannot read
        events = (
            self.env["billing.followup.event"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", sorted({p for p, _c in keys})),
                    ("date", ">=", min(dates.values()).replace(day=1)),
                    "|",
                    ("kind", "=", kinds.STATEMENT),
                    "&",
                    ("kind", "in", kinds.CONTACT_KINDS),
                    ("state", "=", kinds.DONE),
                ],
                ["partner_id", "company_id", "kind", "key", "date"],
            )
        )
        sent, contacted = set(), set()
        for event in events:
            key = (event.partner_id.id, event.company_id.id)
            if event.kind == kinds.STATEMENT and event.key:
                sent.add((key, event.key))
            if event.state == kinds.DONE and event.kind in kinds.CONTACT_KINDS:
                contacted.add((key, event.date))
        return sent, contacted

    @api.model
    def _send_statements(self, due):
        """Record and send the statements of `due` ({key: date}), those with
        something open; their counts."""
        counts = Counter()
        by_day = defaultdict(list)
        for key, on in due.items():
            by_day[key[1], on].append(key)
        vals_list, prefetched = [], {}
        Partner = self.env["res.partner"]
        for (company_id, on), keys in by_day.items():
            company = self.env["res.company"].browse(company_id)
            partners = Partner.browse([p for p, _c in keys])
            figures = PrefetchedStatements(
                partners._billing_outstanding_statements(on, company)
            )
            prefetched[company_id, on] = figures
            for partner in partners:
                blocks = figures[partner.id]
                if not blocks:
                    counts[kinds.skipped_key(kinds.SKIP_NOTHING_OPEN)] += 1
                    continue
                contact = partner._billing_contact()
                if contact._billing_email_problem_text():
                    counts["undeliverable"] += 1
                    continue
                lines = [i["line_id"] for b in blocks for i in b["items"]]
                vals_list.append(
                    {
                        "partner_id": partner.id,
                        "company_id": company_id,
                        "date": on,
                        "kind": kinds.STATEMENT,
                        "key": kinds.statement_key(on),
                        "line_ids": [Command.set(lines)],
                        "move_ids": [
                            Command.set(
                                sorted(
                                    {i["move_id"] for b in blocks for i in b["items"]}
                                )
                            )
                        ],
                        "contact_id": contact.id,
                    }
                )
        # sudo: only the engine writes the ledger, whoever started the run
        events = self.env["billing.followup.event"].sudo().create(vals_list)
        pdfs = self._reuse_statement_pdfs(events)
        pdfs.update(
            self._statement_pdfs(
                events.filtered(lambda e: e.id not in pdfs), prefetched
            )
        )
        self.with_context(billing_statement_pdfs=pdfs)._perform(events)
        counts[kinds.COUNT_KEYS[kinds.STATEMENT]] += len(events)
        return counts

    @api.model
    def _perform_statement(self, events):
        self._send_emails(events)

    @api.model
    def _email_template(self, event):
        if event.kind == kinds.STATEMENT:
            # by id: `env.ref` would query the template's existence per event
            return self.env["mail.template"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "billing_followup.mail_template_periodic_statement"
                )
            )
        return super()._email_template(event)

    @api.model
    def _mail_values(self, event, rendered, invoice_pdfs):
        vals = super()._mail_values(event, rendered, invoice_pdfs)
        if event.kind == kinds.STATEMENT:
            pdfs = self.env.context.get("billing_statement_pdfs") or {}
            pdf = pdfs.get(event.id) or self._statement_pdfs(event)[event.id]
            vals["attachment_ids"] = [Command.set([pdf])]
        return vals

    @api.model
    def _statement_pdfs(self, events, prefetched=None):
        """{event id: attachment id}: each event's statement PDF, from the
        figures the pass read for the batch (`prefetched`: {(company id,
        date): PrefetchedStatements}), the attachments created in one go."""
        if not events:
            return {}
        prefetched = prefetched or {}
        Report = self.env["ir.actions.report"]
        # the record, not its name: a name is searched at every rendering
        report = self.env.ref(OUTSTANDING_REPORT)
        vals_list = []
        for event in events:
            company = event.company_id
            data = {
                "date": fields.Date.to_string(event.date),
                "company_id": company.id,
            }
            if (company.id, event.date) in prefetched:
                data["prefetched"] = prefetched[company.id, event.date]
            content, _type = Report.with_company(company)._render_qweb_pdf(
                report, event.partner_id.ids, data=data
            )
            vals_list.append(
                {
                    "name": self.env._("Statement %(date)s.pdf", date=event.date),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": event._name,
                    "res_id": event.id,
                }
            )
        # an attachment of the event, which users may only read
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        return dict(zip(events.ids, attachments.ids, strict=True))
