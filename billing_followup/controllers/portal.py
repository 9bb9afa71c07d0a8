from werkzeug.exceptions import NotFound

from odoo import Command, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount

PAGE = "/my/billing/<int:partner_id>/<int:company_id>"
# The statements the page offers, by their name in the URL.
STATEMENTS = {
    "outstanding": "billing_followup.action_report_statement_outstanding",
    "activity": "billing_followup.action_report_statement_activity",
}


class BillingPortal(PortalAccount):
    """The client's page: open items, statements, pay now, promise,
    dispute, ask for instalments. Reached with the customer's signed link
    or as a logged-in user of the customer; every write checks both again
    and runs through the same model methods as the back office."""

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
        today = customer._billing_portal_today(company)
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
            "today": today,
            "promise_until": company._billing_portal_promise_until(today),
            "error": kw.get("error"),
            "success": kw.get("success"),
        }

    def _billing_render(self, customer, company, **kw):
        values = self._billing_values(customer, company, **kw)
        return request.render("billing_followup.portal_billing_page", values)

    # ------------------------------------------------------------
    # PAGE
    # ------------------------------------------------------------

    @http.route("/my/billing", type="http", auth="user", website=True)
    def billing_my_page(self, **kw):
        customer = request.env.user.partner_id.commercial_partner_id
        # sudo: the user's own customer, read as the signed link reads it
        return self._billing_render(customer.sudo(), request.env.company.sudo())

    @http.route(PAGE, type="http", auth="public", website=True, sitemap=False)
    def billing_page(self, partner_id, company_id, access_token=None, **kw):
        customer, company = self._billing_customer(partner_id, company_id, access_token)
        return self._billing_render(customer, company)

    @http.route(f"{PAGE}/statement/<string:kind>", type="http", auth="public")
    def billing_statement(self, partner_id, company_id, kind, access_token=None):
        """The customer's statement PDF, in its language."""
        customer, company = self._billing_customer(partner_id, company_id, access_token)
        if kind not in STATEMENTS:
            raise NotFound()
        # sudo: statements are printed for the customer the link names
        report = (
            request.env["ir.actions.report"].sudo().with_context(lang=customer.lang)
        )
        pdf, _type = report._render_qweb_pdf(
            STATEMENTS[kind], customer.ids, data={"company_id": company.id}
        )
        name = f"{kind}-{customer.id}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", f'inline; filename="{name}"'),
            ],
        )

    # ------------------------------------------------------------
    # FORMS
    # ------------------------------------------------------------

    def _billing_submit(self, partner_id, company_id, access_token, action):
        """Run `action(customer, company)` in a savepoint: a refused request
        leaves nothing behind and comes back on the page with its reason."""
        customer, company = self._billing_customer(partner_id, company_id, access_token)
        try:
            with request.env.cr.savepoint():
                message = action(customer, company)
        except (UserError, ValidationError) as error:
            return self._billing_render(customer, company, error=error.args[0])
        return self._billing_render(customer, company, success=message)

    @staticmethod
    def _billing_ids(name):
        values = request.httprequest.form.getlist(name)
        return [int(value) for value in values if value.isdigit()]

    @http.route(
        f"{PAGE}/promise", type="http", auth="public", methods=["POST"], website=True
    )
    def billing_promise(self, partner_id, company_id, access_token=None, **kw):
        move_ids = self._billing_ids("move_ids")

        def action(customer, company):
            return customer._billing_portal_promise(
                company, move_ids, kw.get("date"), kw.get("amount"), kw.get("note")
            )

        return self._billing_submit(partner_id, company_id, access_token, action)

    @http.route(
        f"{PAGE}/dispute", type="http", auth="public", methods=["POST"], website=True
    )
    def billing_dispute(self, partner_id, company_id, access_token=None, **kw):
        move_ids = self._billing_ids("move_id")
        upload = request.httprequest.files.get("attachment")
        attachment = upload and upload.filename and (upload.filename, upload.read())

        def action(customer, company):
            return customer._billing_portal_dispute(
                company, move_ids, kw.get("reason"), attachment
            )

        return self._billing_submit(partner_id, company_id, access_token, action)

    @http.route(
        f"{PAGE}/plan", type="http", auth="public", methods=["POST"], website=True
    )
    def billing_plan(self, partner_id, company_id, access_token=None, **kw):
        def action(customer, company):
            return customer._billing_portal_plan_request(
                company, kw.get("count"), kw.get("first_date"), kw.get("note")
            )

        return self._billing_submit(partner_id, company_id, access_token, action)

    # ------------------------------------------------------------
    # PAY NOW
    # ------------------------------------------------------------

    @http.route(
        f"{PAGE}/pay", type="http", auth="public", methods=["POST"], website=True
    )
    def billing_pay(self, partner_id, company_id, access_token=None, **kw):
        """Odoo's payment form for the chosen invoices (one transaction)."""
        customer, company = self._billing_customer(partner_id, company_id, access_token)
        try:
            moves = customer._billing_portal_payable(
                company, self._billing_ids("move_ids")
            )
        except UserError as error:
            return self._billing_render(customer, company, error=error.args[0])
        values = self._billing_values(customer, company)
        currency = moves.currency_id
        amount = sum(moves.mapped("amount_residual"))
        reference = moves[:1].name if len(moves) == 1 else False
        ids = "-".join(str(i) for i in moves.ids)
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": customer,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": customer._billing_portal_url(company),
                "transaction_route": f"{values['base_url']}/transaction/{ids}",
            },
            access_token=values["access_token"],
        )
        values |= {
            "page_name": "billing_pay",
            "pay_moves": moves,
            "amount": amount,
            "currency": currency,
        }
        return request.render("billing_followup.portal_billing_pay_page", values)

    @http.route(f"{PAGE}/transaction/<string:move_ids>", type="jsonrpc", auth="public")
    def billing_transaction(
        self, partner_id, company_id, move_ids, access_token=None, **kwargs
    ):
        """One draft transaction for the chosen invoices, for the amount
        they owe now (never what the browser sends)."""
        customer, company = self._billing_customer(partner_id, company_id, access_token)
        ids = [int(i) for i in move_ids.split("-") if i.isdigit()]
        try:
            moves = customer._billing_portal_payable(company, ids)
        except UserError as error:
            raise ValidationError(error.args[0]) from error
        kwargs.pop("payment_reference", None)
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = sum(moves.mapped("amount_residual"))
        user = request.env.user
        payer = customer if user._is_public() else user.partner_id
        tx_sudo = self._create_transaction(
            partner_id=payer.id,
            currency_id=moves.currency_id.id,
            custom_create_values={"invoice_ids": [Command.set(moves.ids)]},
            **kwargs,
        )
        return tx_sudo._get_processing_values()
