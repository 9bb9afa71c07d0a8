"""What a client tells us from its page: a promise, a dispute, a request
for instalments; the checks, the daily limit and what the accountant gets."""

import base64
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .followup_common import day
from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
@freeze_time(day(0))
class TestPortalRequests(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls.env["res.users"].create(
            {
                "name": "Rita Receivables",
                "login": "bf_portal_rita",
                "email": "rita@company-a.example",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
                "group_ids": [
                    (4, cls.env.ref("account.group_account_invoice").id),
                    (4, cls.env.ref("billing_followup.billing_followup_group_user").id),
                ],
            }
        )
        cls.company.billing_responsible_id = cls.accountant

    def _promises(self, partner=None):
        return self.env["billing.followup.promise"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    def _portal_events(self, partner=None):
        return self._events(partners=partner, kind="portal")

    def _activities(self, record, summary):
        return record.activity_ids.filtered(lambda a: a.summary == summary)

    # ------------------------------------------------------------------
    # PROMISE
    # ------------------------------------------------------------------

    def test_promise_creates_the_promise_and_pauses_reminders(self):
        response, tree = self._post(
            self.customer,
            "promise",
            {
                "move_ids": [self.invoice_a.id],
                "date": str(day(10)),
                "amount": "500",
                "note": "After our client pays us",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("you will pay $ 500.00", self._alert(tree, "success"))
        promise = self._promises()
        self.assertRecordValues(
            promise,
            [
                {
                    "move_ids": self.invoice_a.ids,
                    "amount": 500.0,
                    "date": day(10),
                    "state": "open",
                    "company_id": self.company.id,
                    "note": "After our client pays us",
                }
            ],
        )
        event = self._portal_events()
        self.assertEqual(event.move_ids, self.invoice_a)
        activity = self._activities(self.customer, "Promise to pay from the client")
        self.assertEqual(activity.user_id, self.accountant)
        # the page shows it, and the run leaves the invoice alone until then
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        row = tree.xpath(f"//tr[@data-move='{self.invoice_a.name}']")[0]
        self.assertIn("Promised for", row.text_content())
        self._run(day(1))
        self.assertFalse(self._events(kind="email"))

    def test_promise_checks_dates_and_amounts(self):
        self.company.billing_portal_promise_days = 20
        cases = [
            ({"date": str(day(21)), "amount": "100"}, "must be a date between"),
            ({"date": str(day(-1)), "amount": "100"}, "must be a date between"),
            ({"date": "next week", "amount": "100"}, "must be a date between"),
            ({"date": str(day(20)), "amount": "500.01"}, "at most $ 500.00"),
            ({"date": str(day(20)), "amount": "0"}, "Enter the amount"),
            ({"date": str(day(20)), "amount": "lots"}, "Enter the amount"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                _response, tree = self._post(
                    self.customer,
                    "promise",
                    {"move_ids": [self.invoice_a.id], **data},
                )
                self.assertIn(message, self._alert(tree, "error"))
        _response, tree = self._post(
            self.customer, "promise", {"date": str(day(5)), "amount": "10"}
        )
        self.assertIn("Choose at least one invoice", self._alert(tree, "error"))
        self.assertFalse(self._promises())
        self.assertFalse(self._portal_events())

    def test_no_promise_on_another_clients_invoice(self):
        data = {
            "move_ids": [self.invoice_a.id, self.invoice_b.id],
            "date": str(day(5)),
            "amount": "100",
        }
        _response, tree = self._post(self.customer, "promise", data)
        self.assertIn("not open on your account", self._alert(tree, "error"))
        # B's page with A's token, B's invoice on A's page with B's token
        token_a = self.customer._billing_portal_token(self.company)
        response, _tree = self._post(self.client_b, "promise", data, token=token_a)
        self.assertEqual(response.status_code, 404)
        token_b = self.client_b._billing_portal_token(self.company)
        response, _tree = self._post(self.customer, "promise", data, token=token_b)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._promises(self.customer) | self._promises(self.client_b))

    def test_portal_user_acts_on_its_own_invoices_only(self):
        self.authenticate(self.user_a.login, self.user_a.login)
        data = {"move_ids": [self.invoice_b.id], "date": str(day(5)), "amount": "10"}
        response, _tree = self._post(self.client_b, "promise", data, token="x")
        self.assertEqual(response.status_code, 404)
        _response, tree = self._post(self.customer, "promise", data, token="x")
        self.assertIn("not open on your account", self._alert(tree, "error"))
        data["move_ids"] = [self.invoice_a.id]
        _response, tree = self._post(self.customer, "promise", data, token="x")
        self.assertIn("you will pay", self._alert(tree, "success"))
        self.assertEqual(self._promises().user_id, self.user_a)
        self.assertFalse(self._promises(self.client_b))

    # ------------------------------------------------------------------
    # DISPUTE
    # ------------------------------------------------------------------

    def test_dispute_with_attachment(self):
        _response, tree = self._post(
            self.customer,
            "dispute",
            {"move_id": self.invoice_a.id, "reason": "We never received the flowers"},
            files={"attachment": ("delivery.txt", b"no delivery", "text/plain")},
        )
        self.assertIn("we will look into", self._alert(tree, "success"))
        self.assertTrue(self.invoice_a.billing_disputed)
        self.assertEqual(
            self.invoice_a.billing_dispute_reason, "We never received the flowers"
        )
        self.assertEqual(
            self._activities(self.invoice_a, "Resolve the dispute").user_id,
            self.accountant,
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", self.invoice_a.id)]
        )
        self.assertEqual(attachment.name, "delivery.txt")
        self.assertEqual(base64.b64decode(attachment.datas), b"no delivery")
        self.assertEqual(self._events(kind="dispute").move_ids, self.invoice_a)
        # paused: no reminder about it; the page says it is under review
        self._run(day(1))
        self.assertFalse(self._events(kind="email"))
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        row = tree.xpath(f"//tr[@data-move='{self.invoice_a.name}']")[0]
        self.assertIn("Under review", row.text_content())

    def test_dispute_needs_a_reason_and_an_open_invoice(self):
        for data, message in (
            ({"move_id": self.invoice_a.id, "reason": "  "}, "what is wrong"),
            ({"move_id": self.invoice_b.id, "reason": "Wrong"}, "not open on your"),
            ({"reason": "Wrong"}, "Choose the invoice"),
        ):
            with self.subTest(data=data):
                _response, tree = self._post(self.customer, "dispute", data)
                self.assertIn(message, self._alert(tree, "error"))
        self.assertFalse(self.invoice_a.billing_disputed)
        self.assertFalse(self.invoice_b.billing_disputed)
        # disputed once; a second dispute on it is refused
        self._post(
            self.customer, "dispute", {"move_id": self.invoice_a.id, "reason": "A"}
        )
        _response, tree = self._post(
            self.customer, "dispute", {"move_id": self.invoice_a.id, "reason": "B"}
        )
        self.assertIn("not open on your", self._alert(tree, "error"))
        self.assertEqual(self.invoice_a.billing_dispute_reason, "A")

    # ------------------------------------------------------------------
    # RATE LIMIT
    # ------------------------------------------------------------------

    def test_daily_limit(self):
        self.company.billing_portal_daily_limit = 2
        self._post(
            self.customer, "dispute", {"move_id": self.invoice_a.id, "reason": "A"}
        )
        self._post(
            self.customer,
            "promise",
            {"move_ids": [self.invoice_a2.id], "date": str(day(5)), "amount": "50"},
        )
        self.assertEqual(len(self._portal_events()), 2)
        _response, tree = self._post(
            self.customer, "plan", {"count": "3", "first_date": str(day(5))}
        )
        self.assertIn("2 requests today", self._alert(tree, "error"))
        self.assertFalse(
            self.env["billing.payment.plan"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        # the other client is not limited by the first one
        _response, tree = self._post(
            self.client_b, "dispute", {"move_id": self.invoice_b.id, "reason": "B"}
        )
        self.assertTrue(self.invoice_b.billing_disputed)
        # the next day the client may ask again
        with freeze_time(day(1)):
            _response, tree = self._post(
                self.customer, "plan", {"count": "3", "first_date": str(day(5))}
            )
        self.assertIn("will answer you", self._alert(tree, "success"))

    # ------------------------------------------------------------------
    # INSTALMENTS
    # ------------------------------------------------------------------

    def _request_plan(self, count="3", first=None):
        return self._post(
            self.customer,
            "plan",
            {"count": count, "first_date": str(first or day(5)), "note": "Slow season"},
        )

    def _plan_mail(self, plan):
        return plan.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )

    def test_plan_request_accepted(self):
        _response, tree = self._request_plan()
        self.assertIn("3 instalments", self._alert(tree, "success"))
        plan = self.env["billing.payment.plan"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "draft",
                    "billing_requested": True,
                    "billing_request_note": "Slow season",
                    "user_id": self.accountant.id,
                }
            ],
        )
        self.assertEqual(plan.move_ids, self.invoice_a | self.invoice_a2)
        self.assertEqual(
            plan.line_ids.mapped("date"), [day(5), date(2026, 4, 7), date(2026, 5, 7)]
        )
        self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")), 700.0)
        self.assertEqual(
            self._activities(plan, "Instalments requested by the client").user_id,
            self.accountant,
        )
        # a second request waits for the answer to the first
        _response, tree = self._request_plan()
        self.assertIn("waiting for our answer", self._alert(tree, "error"))
        requested = self.env["billing.payment.plan"].search(
            [("billing_requested", "=", True), ("state", "=", "draft")]
        )
        self.assertEqual(requested, plan)
        plan.with_user(self.accountant).action_billing_accept()
        self.assertEqual(plan.state, "running")
        mail = self._plan_mail(plan)
        self.assertEqual(len(mail), 1)
        self.assertIn("we agree to the instalments", mail.body)
        self.assertEqual(
            mail.attachment_ids.name,
            "Payment plan - Orchid Florists.html",  # no wkhtmltopdf in tests
        )
        with self.assertRaises(UserError):
            plan.with_user(self.accountant).action_billing_accept()

    def test_plan_request_declined(self):
        self._request_plan(count="6")
        plan = self.env["billing.payment.plan"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(plan.line_ids), 6)
        action = plan.with_user(self.accountant).action_billing_decline()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(action["context"])
        )
        wizard.note = "We can wait until the end of April instead."
        wizard.save().action_decline()
        self.assertEqual(plan.state, "cancelled")
        mail = self._plan_mail(plan)
        self.assertEqual(len(mail), 1)
        self.assertIn("We can wait until the end of April instead.", mail.body)
        # the client may ask again once answered
        _response, tree = self._request_plan(count="2")
        self.assertIn("2 instalments", self._alert(tree, "success"))

    def test_plan_request_checks(self):
        self.company.billing_portal_promise_days = 10
        for count, first, message in (
            ("1", day(5), "between 2 and 12"),
            ("13", day(5), "between 2 and 12"),
            ("x", day(5), "between 2 and 12"),
            ("3", day(11), "must be a date between"),
        ):
            with self.subTest(count=count, first=first):
                _response, tree = self._request_plan(count, first)
                self.assertIn(message, self._alert(tree, "error"))
        self.assertFalse(
            self.env["billing.payment.plan"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
