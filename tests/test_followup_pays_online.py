"""Online payment is offered only where it exists: a company without a
published payment provider gets no "Pay now" link, no "pay online"
sentence and no pay button on the client's page."""

from odoo.tests import tagged

from .followup_common import day
from .portal_common import PortalCommon

ONLINE = "lets you pay online"
OFFLINE = "lets you tell us when you will pay"


@tagged("post_install", "-at_install")
class TestPaysOnline(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.providers = cls.env["payment.provider"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.providers.write({"state": "disabled"})

    def _reminder(self):
        self._run(day(0), self.customer)
        return self._events(self.customer, kind="email").mail_id.body_html

    def test_without_a_provider_nothing_offers_online_payment(self):
        self.assertFalse(self.company._billing_pays_online())
        body = self._reminder()
        self.assertNotIn("Pay now", body)
        self.assertNotIn("pay online", body)
        self.assertIn(OFFLINE, body)
        response, tree = self._get(
            self._page(self.customer, self.customer._billing_portal_token(self.company))
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(tree.xpath("//form[@id='billing_pay_form']"))
        self.assertFalse(tree.xpath("//input[@form='billing_pay_form']"))

    def test_a_published_provider_offers_it(self):
        self.providers.filtered(lambda p: p.code == "demo").write(
            {"state": "test", "is_published": True}
        )
        self.assertTrue(self.company._billing_pays_online())
        body = self._reminder()
        self.assertIn("Pay now", body)
        self.assertIn(ONLINE, body)
        _response, tree = self._get(
            self._page(self.customer, self.customer._billing_portal_token(self.company))
        )
        self.assertTrue(tree.xpath("//form[@id='billing_pay_form']"))
