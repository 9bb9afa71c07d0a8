from urllib.parse import urlencode

from odoo import api, models, tools
from odoo.fields import Domain
from odoo.tools import consteq
from odoo.tools.misc import hmac

# Scope of the client page's signature: a token of another feature that
# signs the same ids never opens the page.
TOKEN_SCOPE = "billing_followup.portal"


class ResPartner(models.Model):
    """The client's page: a signed link per customer and company, and what
    the page lists. The token is an HMAC of (customer, company) with the
    database secret: nothing to store or write when thousands of reminders
    carry it, and rotating `database.secret` revokes every link at once."""

    _inherit = "res.partner"

    def _billing_portal_token(self, company=None):
        self.ensure_one()
        company = company or self.env.company
        # sudo: the database secret is readable by the superuser only
        return hmac(
            self.env(su=True),
            TOKEN_SCOPE,
            (self.commercial_partner_id.id, company.id),
        )

    def _billing_portal_check_token(self, company, token):
        """Whether `token` opens this customer's page in `company`."""
        self.ensure_one()
        return bool(token) and consteq(self._billing_portal_token(company), token)

    def _billing_portal_url(self, company=None):
        """The customer's page (relative, signed): the same for any of its
        contacts, one per company."""
        self.ensure_one()
        company = company or self.env.company
        customer = self.commercial_partner_id
        query = urlencode({"access_token": customer._billing_portal_token(company)})
        return f"/my/billing/{customer.id}/{company.id}?{query}"

    def _billing_portal_full_url(self, company=None):
        """The page's link for emails, in the customer's language: Odoo's
        frontend reads the language from the path (/es/my/billing/...)."""
        url = self._billing_portal_url(company)
        lang = self.commercial_partner_id.lang
        if lang and lang != self._billing_portal_default_lang():
            url_code = self.env["res.lang"]._get_data(code=lang).url_code
            url = f"/{url_code}{url}" if url_code else url
        return self.get_base_url() + url

    @api.model
    @tools.ormcache()
    def _billing_portal_default_lang(self):
        """The frontend's default language, as Odoo's routing picks it; read
        once, not per customer's link (changing a default or a language
        clears the cache)."""
        # sudo: the default language of contacts is no secret
        default = self.env["ir.default"].sudo()._get("res.partner", "lang")
        return default or next(iter(self.env["res.lang"]._get_active_by("code")))

    def _billing_portal_lines(self, company):
        """The customer's open receivable lines in `company`, oldest first,
        as the engine sees them."""
        self.ensure_one()
        engine = self.env["billing.followup.engine"].with_company(company)
        domain = (
            engine._open_line_domain()
            & Domain("company_id", "=", company.id)
            & Domain("partner_id", "=", self.commercial_partner_id.id)
        )
        lines = self.env["account.move.line"].search(domain)
        return lines.sorted(lambda ln: (ln.date_maturity or ln.date, ln.id))

    def _billing_portal_items(self, company):
        """One dict per open document for the page: what it owes, since
        when, and what the client already told us about it."""
        self.ensure_one()
        today = self._billing_portal_today(company)
        lines = self._billing_portal_lines(company)
        engine = self.env["billing.followup.engine"]
        promised = engine._moves_promised(lines.move_id)
        paying = engine._moves_with_pending_transaction(lines.move_id)
        items = {}
        for line in lines:
            move = line.move_id
            item = items.setdefault(
                move,
                {
                    "move": move,
                    "due": line.date_maturity or line.date,
                    "amount": 0.0,
                    "currency": line.currency_id,
                    "disputed": move.billing_disputed,
                    "in_payment": move.payment_state == "in_payment"
                    or move.id in paying,
                    "promised_on": promised.get(move.id),
                    "invoice": move.is_sale_document(include_receipts=True),
                },
            )
            item["amount"] += line.amount_residual_currency
        result = list(items.values())
        for item in result:
            item["days_late"] = max((today - item["due"]).days, 0)
            item["credit"] = item["amount"] < 0
            item["payable"] = (
                not item["credit"] and not item["in_payment"] and item["invoice"]
            )
        return result

    @api.model
    def _billing_portal_totals(self, items):
        """[(currency, overdue, open)] per currency of the items."""
        totals = {}
        for item in items:
            overdue, balance = totals.get(item["currency"], (0.0, 0.0))
            if item["days_late"] and not item["credit"]:
                overdue += item["amount"]
            totals[item["currency"]] = (overdue, balance + item["amount"])
        return [(cur, *amounts) for cur, amounts in totals.items()]

    def _billing_portal_contact(self, company):
        """Whom the client can talk to: its follow-up responsible, else the
        company's, else the company itself."""
        self.ensure_one()
        # sudo: the responsible is a follow-up field, the client page shows it
        customer = self.commercial_partner_id.sudo().with_company(company)
        user = customer.billing_responsible_id or company.billing_responsible_id
        return user.partner_id or company.partner_id

    def _billing_portal_today(self, company):
        return self.env["billing.followup.engine"]._today(company)
