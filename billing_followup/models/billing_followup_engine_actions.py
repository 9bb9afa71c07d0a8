from collections import Counter, defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

THANKS_WINDOW_DAYS = 60


class BillingFollowupEngine(models.AbstractModel):
    """The engine's actions: events first (the ledger), then the channels,
    all in batch so that a batch costs the same number of queries whatever
    its number of customers."""

    _inherit = "billing.followup.engine"

    @api.model
    def _act(self, decisions):
        """Record and perform the actions of `decisions`; returns counts."""
        counts = Counter()
        vals_list = []
        # Records browsed from one recordset share its prefetching: the
        # contacts and their email checks are read once for the batch.
        partners = self.env["res.partner"].browse([p for p, _c in decisions])
        partners = {partner.id: partner for partner in partners}
        for (partner_id, company_id), (on, decision, _seq) in decisions.items():
            if not isinstance(decision, logic.Action):
                counts[kinds.skipped_key(decision.reason)] += 1
                continue
            vals, action_counts = self._action_events(
                partners[partner_id], company_id, on, decision
            )
            vals_list += vals
            counts.update(action_counts)
        events = self.env["billing.followup.event"].sudo().create(vals_list)
        self.env.cr.flush()
        self._perform(events.filtered(lambda e: e.state == kinds.DONE))
        return counts

    @api.model
    def _action_events(self, partner, company_id, on, action):
        """Event values of one action, one per channel, and their counts."""
        step = self.env["billing.followup.step"].browse(action.step_id)
        contact = partner._billing_contact()
        listed = self.env["account.move.line"].browse(action.listed)
        base = {
            "partner_id": partner.id,
            "company_id": company_id,
            "date": on,
            "step_id": step.id,
            "cycle_date": action.cycle,
            "line_ids": [Command.set(action.listed)],
            "reminded_line_ids": [Command.set(action.about)],
            "move_ids": [Command.set(listed.move_id.ids)],
            "contact_id": contact.id,
            "state": kinds.TO_REVIEW if step.needs_review else kinds.DONE,
        }
        counts = Counter(customers_acted=1)
        if step.needs_review:
            counts["to_review"] += 1
        channels = []
        if step.send_email:
            problem = contact._billing_email_problem_text()
            if problem:
                counts["undeliverable"] += 1
                channels.append((kinds.EMAIL, {"state": kinds.FAILED, "note": problem}))
                if not (step.print_letter or step.create_activity):
                    channels.append((kinds.ACTIVITY, {"note": problem}))
            else:
                channels.append((kinds.EMAIL, {}))
        if step.create_activity:
            channels.append((kinds.ACTIVITY, {}))
        if step.print_letter:
            channels.append((kinds.LETTER, {}))
        if step.stage_id:
            channels.append((kinds.STAGE, {"stage_id": step.stage_id.id}))
        for kind, extra in channels:
            if extra.get("state") != kinds.FAILED:
                counts[kinds.COUNT_KEYS[kind]] += 1
        return [
            base
            | {"kind": kind, "key": kinds.step_key(step.id, action.cycle, kind)}
            | extra
            for kind, extra in channels
        ], counts

    @api.model
    def _perform(self, events):
        """Carry out done events: emails, activities, stage changes. Letters
        are printed from the event (report), nothing to do here."""
        events = events.sudo()
        self._send_emails(
            events.filtered(lambda e: e.kind in (kinds.EMAIL, kinds.THANKS))
        )
        self._create_activities(events.filtered(lambda e: e.kind == kinds.ACTIVITY))
        self._apply_stages(events.filtered(lambda e: e.kind == kinds.STAGE))

    @api.model
    def _email_template(self, event):
        if event.kind == kinds.THANKS:
            return event.step_id.sequence_id.thanks_template_id
        return event.step_id.mail_template_id

    @api.model
    def _send_emails(self, events):
        """Render the templates on the events (each in its customer's
        language) and queue one mail per event."""
        if not events:
            return
        by_template = defaultdict(lambda: events.browse())
        for event in events:
            by_template[self._email_template(event)] |= event
        invoice_pdfs = self._invoice_pdfs(
            events.filtered(lambda e: e.step_id.attach_invoices).move_ids
        )
        self._ensure_access_tokens(events.line_ids.move_id)
        mail_vals, ordered = [], []
        for template, group in by_template.items():
            rendered = template.with_context(
                billing_followup_engine=True
            )._generate_template(group.ids, ["subject", "body_html", "email_from"])
            for event in group:
                ordered.append(event)
                mail_vals.append(
                    self._mail_values(event, rendered[event.id], invoice_pdfs)
                )
        self._set_reply_to(mail_vals)
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        for event, mail in zip(ordered, mails, strict=False):
            event.mail_id = mail

    @api.model
    def _set_reply_to(self, mail_vals):
        """The reply-to mail.message would compute message by message, asked
        once per sender for all the customers of the batch."""
        by_sender = defaultdict(list)
        for vals in mail_vals:
            by_sender[vals["email_from"], vals["author_id"]].append(vals)
        for (email_from, author_id), group in by_sender.items():
            partners = self.env["res.partner"].browse([v["res_id"] for v in group])
            reply_to = partners.sudo()._notify_get_reply_to(
                default=email_from, author_id=author_id
            )
            for vals in group:
                vals["reply_to"] = reply_to[vals["res_id"]]

    @api.model
    def _ensure_access_tokens(self, moves):
        """Give the invoices their portal token (for the pay-now links) in
        one query: `_portal_ensure_token` writes through account.move's
        write(), which re-syncs the invoice and costs ~50 ms an invoice."""
        missing = moves.filtered(lambda move: not move.access_token)
        if missing:
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET access_token = gen_random_uuid()::text"
                    " WHERE id IN %s AND access_token IS NULL",
                    tuple(missing.ids),
                )
            )
            missing.invalidate_recordset(["access_token"])

    @api.model
    def _mail_values(self, event, rendered, invoice_pdfs):
        attachments = []
        if event.step_id.attach_invoices and event.kind == kinds.EMAIL:
            attachments += [
                invoice_pdfs[m].id for m in event.move_ids if m in invoice_pdfs
            ]
        if event.step_id.attach_statement and event.kind == kinds.EMAIL:
            attachments.append(self._statement_attachment(event).id)
        company = event.company_id
        vals = {
            "subject": rendered.get("subject"),
            "body_html": rendered.get("body_html"),
            "body": rendered.get("body_html"),
            "email_from": rendered.get("email_from") or company.email_formatted,
            "author_id": company.partner_id.id,
            "model": "res.partner",
            "res_id": event.partner_id.id,
            "record_name": event.partner_id.name,
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "recipient_ids": [Command.link(event.contact_id.id)],
            "attachment_ids": [Command.set(attachments)],
            "auto_delete": False,
        }
        return vals

    @api.model
    def _invoice_pdfs(self, moves):
        """{move: attachment}: the PDF Odoo stored when the invoice was sent,
        generated (and stored the same way) only for those never sent."""
        moves = moves.filtered(lambda m: m.is_sale_document())
        missing = moves.filtered(lambda m: not m.invoice_pdf_report_id)
        sender = self.env["account.move.send"]
        for move in missing:
            # one at a time: wkhtmltopdf without patched Qt renders one document
            data = {move: {"pdf_report": sender._get_default_pdf_report_id(move)}}
            sender._prepare_invoice_pdf_report(data)
            sender._link_invoice_documents(data)
        return {move: move.invoice_pdf_report_id for move in moves}

    @api.model
    def _statement_attachment(self, event):
        report = self.env.ref("billing_followup.action_report_followup_statement")
        content, _type = (
            self.env["ir.actions.report"]
            .with_company(event.company_id)
            ._render_qweb_pdf(report.report_name, event.ids)
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Statement %(date)s.pdf", date=event.date),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": event._name,
                    "res_id": event.id,
                }
            )
        )

    @api.model
    def _responsible(self, partner, company):
        partner = partner.with_company(company)
        return (
            partner.billing_responsible_id
            or company.billing_responsible_id
            or self.env.user
        )

    @api.model
    def _create_activities(self, events):
        if not events:
            return
        model_id = self.env["ir.model"]._get_id("res.partner")
        call = self.env.ref("mail.mail_activity_data_call")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": event.partner_id.id,
                        "activity_type_id": (event.step_id.activity_type_id or call).id,
                        "summary": event.step_id.activity_summary or event.step_id.name,
                        "note": event.note,
                        "user_id": self._responsible(
                            event.partner_id, event.company_id
                        ).id,
                        "date_deadline": event.date,
                    }
                    for event in events
                ]
            )
        )
        for event, activity in zip(events, activities, strict=False):
            event.activity_id = activity

    @api.model
    def _apply_stages(self, events):
        groups = defaultdict(lambda: self.env["res.partner"])
        for event in events:
            groups[(event.company_id, event.stage_id)] |= event.partner_id
        for (company, stage), partners in groups.items():
            partners.with_company(company).sudo().billing_stage_id = stage

    # Thank-you, failed emails, circuit breaker ------------------------------

    @api.model
    def _send_thanks(self, partners, date):
        """Thank customers whose reminded items of a cycle are now all paid."""
        since = (date or self._today()) - timedelta(days=THANKS_WINDOW_DAYS)
        self.env["account.move.line"].flush_model(["reconciled"])
        self.env["account.move"].flush_model(["payment_state"])
        partner_filter = SQL("")
        if partners is not None:
            ids = tuple(partners.commercial_partner_id.ids) or (0,)
            partner_filter = SQL("AND event.partner_id IN %s", ids)
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (event.partner_id, event.company_id,
                                       event.cycle_date)
                          event.id
                     FROM billing_followup_event event
                     JOIN billing_followup_step step ON step.id = event.step_id
                     JOIN billing_followup_sequence seq ON seq.id = step.sequence_id
                    WHERE event.kind IN %(messages)s AND event.state = %(done)s
                      AND seq.send_thanks AND event.date >= %(since)s
                      AND event.company_id IN %(companies)s %(partner_filter)s
                      AND NOT EXISTS (
                          SELECT 1
                            FROM billing_followup_event_reminded_line_rel rel
                            JOIN account_move_line line
                              ON line.id = rel.account_move_line_id
                            JOIN account_move move ON move.id = line.move_id
                           WHERE rel.billing_followup_event_id = event.id
                             AND (NOT line.reconciled
                                  OR move.payment_state NOT IN ('paid', 'in_payment')))
                      AND NOT EXISTS (
                          SELECT 1 FROM billing_followup_event thanks
                           WHERE thanks.kind = %(thanks)s
                             AND thanks.partner_id = event.partner_id
                             AND thanks.company_id = event.company_id
                             AND thanks.cycle_date = event.cycle_date)
                 ORDER BY event.partner_id, event.company_id, event.cycle_date,
                          step.offset_days DESC""",
                since=since,
                companies=tuple(self.env.companies.ids),
                partner_filter=partner_filter,
                messages=kinds.MESSAGE_KINDS,
                done=kinds.DONE,
                thanks=kinds.THANKS,
            )
        )
        reminders = self.env["billing.followup.event"].sudo().browse(r[0] for r in rows)
        vals_list = [
            {
                "partner_id": event.partner_id.id,
                "company_id": event.company_id.id,
                "date": date or self._today(event.company_id),
                "kind": kinds.THANKS,
                "key": kinds.thanks_key(event.cycle_date),
                "step_id": event.step_id.id,
                "cycle_date": event.cycle_date,
                "line_ids": [Command.set(event.reminded_line_ids.ids)],
                "move_ids": [Command.set(event.reminded_line_ids.move_id.ids)],
                "contact_id": event.contact_id.id,
            }
            for event in reminders
            if not event.contact_id._billing_email_problem_text()
        ]
        thanks = self.env["billing.followup.event"].sudo().create(vals_list)
        self._send_emails(thanks)
        return len(thanks)

    @api.model
    def _recover_failed_mails(self):
        """Emails that could not be delivered become a task for a person."""
        events = (
            self.env["billing.followup.event"]
            .sudo()
            .search(
                [
                    ("kind", "=", kinds.EMAIL),
                    ("state", "=", kinds.DONE),
                    ("mail_id.state", "=", "exception"),
                    ("company_id", "in", self.env.companies.ids),
                ],
                limit=1000,
            )
        )
        for event in events:
            event.write(
                {
                    "state": kinds.FAILED,
                    "note": event.mail_id.failure_reason
                    or self.env._("The email could not be delivered."),
                }
            )
        self._create_activities(events)

    @api.model
    def _breaker_trips(self, planned, date):
        """Hold a run that would send far more than usual until a manager
        confirms it; nothing is recorded, so nothing is lost."""
        company = self.env.company
        today = date or self._today(company)
        if planned <= company.billing_breaker_minimum:
            return False
        if company.billing_breaker_confirmed_date == today:
            return False
        [(average,)] = self.env.execute_query(
            SQL(
                """SELECT COALESCE(COUNT(*)::float / NULLIF(COUNT(DISTINCT date), 0), 0)
                     FROM billing_followup_event
                    WHERE company_id = %s AND kind IN %s
                      AND state = %s AND date >= %s AND date < %s""",
                company.id,
                kinds.MESSAGE_KINDS,
                kinds.DONE,
                today - timedelta(days=30),
                today,
            )
        )
        if planned <= company.billing_breaker_factor * average:
            return False
        if company.billing_breaker_tripped == planned:
            return True  # managers were told at an earlier run today
        company.sudo().billing_breaker_tripped = planned
        managers = self.env.ref(
            "billing_followup.billing_followup_group_manager"
        ).user_ids
        company.partner_id.sudo().with_context(
            billing_followup_engine=True
        ).message_post(
            body=self.env._(
                "The follow-up run of %(date)s would send %(count)s messages, far "
                "more than usual. Nothing was sent: please check the customers to "
                "follow up and confirm the run in the follow-up settings.",
                date=fields.Date.to_string(today),
                count=planned,
            ),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True
