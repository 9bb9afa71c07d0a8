from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import followup_kinds as kinds


class BillingFollowupEngineMail(models.AbstractModel):
    """The engine's emails: rendered on the events in each customer's
    language, queued in Odoo's mail queue in one batch."""

    _inherit = "billing.followup.engine"

    @api.model
    def _email_template(self, event):
        if event.kind == kinds.THANKS:
            template = event.step_id.sequence_id.thanks_template_id
            if not template:
                raise UserError(
                    self.env._(
                        "The sequence %(sequence)s has no thank-you template.",
                        sequence=event.step_id.sequence_id.name,
                    )
                )
            return template
        if not event.step_id.mail_template_id:
            raise UserError(
                self.env._(
                    "The step %(step)s has no email template.",
                    step=event.step_id.name,
                )
            )
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
        # each body compiled once for the batch (per language), not per event;
        # each event's table built once for its body and its chatter note;
        # each date and amount formatted once
        compiled, tables, widgets = {}, {}, {}
        for template, group in by_template.items():
            rendered = template.with_context(
                billing_followup_engine=True,
                billing_qweb_compiled=compiled,
                billing_tables=tables,
                billing_qweb_widgets=widgets,
            )._generate_template(group.ids, ["subject", "body_html", "email_from"])
            batch = group.with_context(
                billing_qweb_compiled=compiled,
                billing_tables=tables,
                billing_qweb_widgets=widgets,
            )
            for event in batch:
                ordered.append(event)
                mail_vals.append(
                    self._mail_values(event, rendered[event.id], invoice_pdfs)
                )
        self._set_reply_to(mail_vals)
        # the mail queue is not open to follow-up users
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
            # the reply-to reads mail aliases, which users may not read
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
            # the customer's chatter keeps a summary; the email is on the event
            "body": event._billing_chatter_summary(),
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
        generated (and stored the same way) only for those never sent.
        Invoices only: a credit note is listed as a credit, not attached."""
        moves = moves.filtered(lambda m: m.is_sale_document() and m.is_inbound())
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
        """The customer's outstanding statement on the event's date: the one
        rendered before the lock (`_reuse_statement_pdfs`), else rendered
        now."""
        reused = self.env.context.get("billing_statement_attachments") or {}
        if event.id in reused:
            return self.env["ir.attachment"].browse(reused[event.id])
        content, _type = (
            self.env["ir.actions.report"]
            .with_company(event.company_id)
            ._render_qweb_pdf(
                "billing_followup.action_report_statement_outstanding",
                event.partner_id.ids,
                data={
                    "date": fields.Date.to_string(event.date),
                    "company_id": event.company_id.id,
                },
            )
        )
        # an attachment of the event, which users may only read
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
