from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount

PAGE = "/my/billing/<int:partner_id>/<int:company_id>"


class BillingPortal(PortalAccount):
    """The client's page: open items, statements, pay now, promise,
    dispute, ask for instalments. Reached with the customer's signed link
    or as a logged-in user of the customer; every write checks both again
    and runs through the same model methods as the back office."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "billing_open_count" in counters:
            user = request.env.user
            customer = user.partner_id.commercial_partner_id
            values["billing_open_count"] = len(
                customer._billing_portal_items(request.env.company)
            )
        return values

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    def _billing_customer(self, partner_id, company_id, access_token=None):
        """(customer, company) in sudo, when the link's token is the
        customer's or the logged-in user belongs to it; else not found
        (a wrong link learns nothing about who exists)."""
        # sudo: a public visitor reads the customer its signed link names
        customer = request.env["res.partner"].sudo().browse(partner_id).exists()
        company = request.env["res.company"].sudo().browse(company_id).exists()
        if not customer or not company or customer.commercial_partner_id != customer:
            raise NotFound()
        if customer._billing_portal_check_token(company, access_token):
            return customer, company
        user = request.env.user
        if (
            not user._is_public()
            and user.partner_id.commercial_partner_id == customer
            and company in user.company_ids
        ):
            return customer, company
        raise NotFound()

    def _billing_values(self, customer, company, **kw):
        items = customer._billing_portal_items(company)
        token = customer._billing_portal_token(company)
        return {
            "page_name": "billing",
            "no_breadcrumbs": request.env.user._is_public(),
            "customer": customer,
            "company": company,
            "items": items,
            "totals": customer._billing_portal_totals(items),
            "contact": customer._billing_portal_contact(company),
            "access_token": token,
            "base_url": f"/my/billing/{customer.id}/{company.id}",
            "error": kw.get("error"),
            "success": kw.get("success"),
        }

    def _billing_render(self, customer, company, **kw):
        if request.env.user._is_public() and customer.lang:
            request.update_context(lang=customer.lang)
        values = self._billing_values(customer, company, **kw)
        return request.render("billing_followup.portal_billing_page", values)

    # ------------------------------------------------------------
    # PAGE
    # ------------------------------------------------------------

    @http.route("/my/billing", type="http", auth="user", website=True)
    def billing_my_page(self, **kw):
        customer = request.env.user.partner_id.commercial_partner_id
        return self._billing_render(customer.sudo(), request.env.company.sudo())

    @http.route(PAGE, type="http", auth="public", website=True, sitemap=False)
    def billing_page(self, partner_id, company_id, access_token=None, **kw):
        customer, company = self._billing_customer(partner_id, company_id, access_token)
        return self._billing_render(customer, company, success=kw.get("success"))
