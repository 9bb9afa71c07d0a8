"""The client's page: signed link, logged-in access, isolation between
clients and companies, and the link in every email."""

from odoo.tests import freeze_time, tagged

from .followup_common import day
from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalPage(PortalCommon):
    def test_signed_link_opens_the_customers_page(self):
        url = self.customer._billing_portal_url(self.company)
        with freeze_time(day(0)):
            response, tree = self._get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._rows(tree), [self.invoice_a.name, self.invoice_a2.name])
        self.assertNotIn(self.invoice_b.name, response.text)
        balance = " ".join(
            tree.xpath("//h2[@name='balance']")[0].text_content().split()
        )
        self.assertIn("700.00", balance)
        overdue = tree.xpath("//div[@name='overdue']")[0].text_content()
        self.assertIn("500.00", overdue)
        # the client reads an invoice's PDF from its row
        pdf = tree.xpath(f"//tr[@data-move='{self.invoice_a.name}']//a/@href")[0]
        self.assertEqual(self.url_open(pdf).headers["Content-Type"], "application/pdf")

    def test_one_link_per_customer_and_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Ann Orchid", "parent_id": self.customer.id}
        )
        url = self.customer._billing_portal_url(self.company)
        self.assertEqual(contact._billing_portal_url(self.company), url)
        self.assertTrue(url.startswith(f"/my/billing/{self.customer.id}/"))
        other = self.setup_other_company()["company"]
        self.assertNotEqual(self.customer._billing_portal_url(other), url)
        self.assertNotEqual(self.client_b._billing_portal_url(self.company), url)

    def test_wrong_or_missing_token_finds_nothing(self):
        token_a = self.customer._billing_portal_token(self.company)
        token_b = self.client_b._billing_portal_token(self.company)
        other = self.setup_other_company()["company"]
        for url in (
            self._page(self.customer),  # no token
            self._page(self.customer, "0" * 64),
            self._page(self.customer, token_b),  # tokens swapped
            self._page(self.client_b, token_a),
            # the token of the same customer in another company
            self._page(self.customer, token_a, company=other),
            self._page(self.customer, self.customer._billing_portal_token(other)),
            # a contact's id with its customer's token
            self._page(self.user_a.partner_id, token_a),
        ):
            with self.subTest(url=url):
                response, _tree = self._get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.invoice_a.name, response.text)

    def test_token_of_a_contact_of_another_client(self):
        contact_b = self.env["res.partner"].create(
            {"name": "Bea Birch", "parent_id": self.client_b.id}
        )
        token = contact_b._billing_portal_token(self.company)
        self.assertEqual(token, self.client_b._billing_portal_token(self.company))
        response, _tree = self._get(self._page(self.customer, token))
        self.assertEqual(response.status_code, 404)
        response, tree = self._get(contact_b._billing_portal_url(self.company))
        self.assertEqual(self._rows(tree), [self.invoice_b.name])

    def test_portal_user_sees_its_own_page_only(self):
        self.authenticate(self.user_a.login, self.user_a.login)
        response, tree = self._get("/my/billing")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._rows(tree), [self.invoice_a.name, self.invoice_a2.name])
        # its own page without token, not the other client's
        _response, tree = self._get(self._page(self.customer))
        self.assertEqual(len(self._rows(tree)), 2)
        response, _tree = self._get(self._page(self.client_b))
        self.assertEqual(response.status_code, 404)
        response, _tree = self._get(
            self._page(self.client_b, self.customer._billing_portal_token(self.company))
        )
        self.assertEqual(response.status_code, 404)
        # the entry on /my leads there
        _response, tree = self._get("/my")
        self.assertTrue(tree.xpath("//a[@href='/my/billing']"))

    def test_paid_invoices_leave_the_page(self):
        self._pay(self.invoice_a)
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        self.assertEqual(self._rows(tree), [self.invoice_a2.name])
        self._pay(self.invoice_a2)
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        self.assertEqual(self._rows(tree), [])
        self.assertTrue(tree.xpath("//p[@name='nothing_open']"))


@tagged("post_install", "-at_install")
class TestPortalLinks(PortalCommon):
    def _link(self):
        return self.customer._billing_portal_full_url(self.company)

    def test_reminder_carries_the_link(self):
        self._run(day(-9))  # a day after invoice_a's due date
        mail = self._events(kind="email").mail_id
        self.assertEqual(len(mail), 1)
        self.assertIn(self._link().replace("&", "&amp;"), mail.body_html)

    def test_thank_you_carries_the_link(self):
        self._enable_thanks()
        self._run(day(-9))
        self._pay(self.invoice_a, date=day(-8))
        self._run(day(-7))
        mail = self._events(kind="thanks").mail_id
        self.assertEqual(len(mail), 1)
        self.assertIn(self._link().replace("&", "&amp;"), mail.body_html)

    def test_printed_letter_has_no_link(self):
        self._run(day(-9))
        event = self._events(kind="email")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "billing_followup.action_report_followup_letter", event.ids
        )[0]
        self.assertNotIn(b"/my/billing/", html)

    def test_invoice_email_carries_the_link(self):
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=self.invoice_a.ids)
            .create({"sending_methods": ["email"]})
        )
        self.assertIn(self._link().replace("&", "&amp;"), wizard.body)
        wizard.action_send_and_print(allow_fallback_pdf=True)
        message = self.invoice_a.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self._link().replace("&", "&amp;"), message.body)
        self.assertTrue(self.invoice_a.is_move_sent)

    def test_vendor_bill_email_has_no_link(self):
        bill = self._invoice(
            self.customer, 80.0, day(-3), day(10), move_type="in_invoice"
        )
        body = self.env["account.move.send"]._get_default_mail_body(
            bill, self.env.ref("account.email_template_edi_invoice"), "en_US"
        )
        self.assertNotIn("/my/billing/", body)


@tagged("post_install", "-at_install")
class TestPortalStatements(PortalCommon):
    def test_statements_from_the_page(self):
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        links = tree.xpath("//div[@name='statements']//a/@href")
        self.assertEqual(len(links), 2)
        for link in links:
            with self.subTest(link=link):
                response = self.url_open(link)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "application/pdf")
                self.assertIn(self.customer.name, response.text)
                self.assertNotIn(self.client_b.name, response.text)

    def test_statements_need_the_customers_token(self):
        token_b = self.client_b._billing_portal_token(self.company)
        for suffix in ("/statement/outstanding", "/statement/activity"):
            response = self.url_open(self._page(self.customer, token_b, suffix=suffix))
            self.assertEqual(response.status_code, 404)
        token_a = self.customer._billing_portal_token(self.company)
        response = self.url_open(
            self._page(self.customer, token_a, suffix="/statement/other")
        )
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestPortalLanguage(PortalCommon):
    def test_link_opens_the_page_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer.lang = "es_ES"
        url = self.customer._billing_portal_full_url(self.company)
        base = self.customer.get_base_url()
        self.assertEqual(
            url, f"{base}/es{self.customer._billing_portal_url(self.company)}"
        )
        response, tree = self._get(url[len(base) :])
        self.assertEqual(response.status_code, 200)
        # dates as a Spanish reader writes them
        row = tree.xpath(f"//tr[@data-move='{self.invoice_a.name}']")[0]
        self.assertIn(
            self.invoice_a.invoice_date.strftime("%d/%m/%Y"), row.text_content()
        )
        # a customer in the default language gets the plain link
        self.assertEqual(
            self.client_b._billing_portal_full_url(self.company),
            base + self.client_b._billing_portal_url(self.company),
        )
