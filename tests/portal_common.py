"""Base of the client page tests: two clients of the test company, each
with an open invoice and a portal user, over HTTP."""

from urllib.parse import urlencode

from lxml import html as lxml_html

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from .followup_common import FollowupEngineCommon, day


class PortalCommon(FollowupEngineCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_b = cls.env["res.partner"].create(
            {"name": "Birch Bakery", "email": "ap@birch.example", "company_id": False}
        )
        cls.invoice_a = cls._invoice(cls.customer, 500.0, day(-30), day(-10))
        cls.invoice_a2 = cls._invoice(cls.customer, 200.0, day(-5), day(20))
        cls.invoice_b = cls._invoice(cls.client_b, 900.0, day(-30), day(-10))
        cls.user_a = cls._portal_user("bf_portal_a", cls.customer)
        cls.user_b = cls._portal_user("bf_portal_b", cls.client_b)

    @classmethod
    def _portal_user(cls, login, customer):
        user = new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        user.partner_id.parent_id = customer
        return user

    def _page(self, partner, token=None, company=None, suffix=""):
        company = company or self.company
        query = f"?{urlencode({'access_token': token})}" if token else ""
        return f"/my/billing/{partner.id}/{company.id}{suffix}{query}"

    def _get(self, url):
        response = self.url_open(url)
        return response, lxml_html.fromstring(response.content or b"<p/>")

    def _post(self, partner, action, data, token=None, files=None):
        """Submit a form of the page as the browser does: the CSRF token
        from the page itself, then the form's fields."""
        token = token or partner._billing_portal_token(self.company)
        # the session's CSRF token, read on a page this session may open
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        csrf = tree.xpath("//input[@name='csrf_token']/@value")[0]
        response = self.url_open(
            self._page(partner, suffix=f"/{action}"),
            data={
                "csrf_token": csrf,
                "access_token": token,
                **data,
            },
            files=files,
        )
        return response, lxml_html.fromstring(response.content or b"<p/>")

    def _alert(self, tree, name):
        found = tree.xpath(f"//div[@name='{name}']")
        return " ".join(found[0].text_content().split()) if found else ""

    def _rows(self, tree):
        """The documents the page lists, by number."""
        return tree.xpath(
            "//table[contains(@class, 'o_billing_portal_items')]" "/tbody/tr/@data-move"
        )
