"""Pay now from the client's page with Odoo's demo provider: one
transaction for the chosen invoices, reconciled by Odoo's post-processing;
reminders stop while the payment is in flight."""

from odoo.tests import JsonRpcException, freeze_time, tagged

from .followup_common import day
from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
@freeze_time(day(0))
class TestPortalPay(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)]
        )
        cls.provider.write({"state": "test", "is_published": True})
        cls.method = cls.env.ref("payment_demo.payment_method_demo")

    def _transaction(self, partner, move_ids, token=None, amount=1.0):
        """Ask the page's transaction route as the payment form does (with
        a forged amount: the route must not trust it)."""
        token = token or partner._billing_portal_token(self.company)
        ids = "-".join(str(i) for i in move_ids)
        return self.make_jsonrpc_request(
            self._page(partner, suffix=f"/transaction/{ids}"),
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.method.id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": partner._billing_portal_url(self.company),
                "is_validation": False,
                "access_token": token,
                "payment_reference": "forged",
            },
        )

    def _simulate(self, reference, state):
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": reference,
                "payment_details": "4242",
                "simulated_state": state,
            },
        )
        return self.env["payment.transaction"].search([("reference", "=", reference)])

    def test_pay_form_lists_the_chosen_invoices(self):
        response, tree = self._post(
            self.customer, "pay", {"move_ids": [self.invoice_a.id, self.invoice_a2.id]}
        )
        self.assertEqual(response.status_code, 200)
        names = [
            " ".join(li.text_content().split())
            for li in tree.xpath("//ul[@name='pay_moves']/li")
        ]
        self.assertEqual(len(names), 3)
        self.assertIn("700.00", names[-1])
        self.assertTrue(tree.xpath("//*[@id='o_payment_form']"))
        self.assertTrue(tree.xpath(f"//input[@data-provider-id='{self.provider.id}']"))
        # none chosen: every overdue invoice
        _response, tree = self._post(self.customer, "pay", {})
        self.assertIn(
            "500.00", tree.xpath("//span[@name='pay_amount']")[0].text_content()
        )

    def test_pay_now_reconciles_the_invoices(self):
        values = self._transaction(
            self.customer, [self.invoice_a.id, self.invoice_a2.id]
        )
        tx = self._simulate(values["reference"], "done")
        self.assertRecordValues(
            tx,
            [
                {
                    "state": "done",
                    "amount": 700.0,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(tx.invoice_ids, self.invoice_a | self.invoice_a2)
        tx._post_process()
        self.assertTrue(tx.payment_id)
        for invoice in self.invoice_a | self.invoice_a2:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
            self.assertFalse(invoice.amount_residual)
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        self.assertEqual(self._rows(tree), [])

    def test_payment_in_flight_stops_reminders(self):
        values = self._transaction(self.customer, [self.invoice_a.id])
        tx = self._simulate(values["reference"], "pending")
        self.assertEqual(tx.state, "pending")
        self._run(day(1), partners=self.customer | self.client_b)
        # the other client, who did not pay, gets its reminder the same day
        self.assertFalse(self._events(kind="email"))
        self.assertEqual(len(self._events(partners=self.client_b, kind="email")), 1)
        _response, tree = self._get(self.customer._billing_portal_url(self.company))
        row = tree.xpath(f"//tr[@data-move='{self.invoice_a.name}']")[0]
        self.assertIn("Payment in progress", row.text_content())
        self.assertFalse(row.xpath(".//input[@name='move_ids']"))

    def test_no_payment_for_another_clients_invoice(self):
        for partner, ids, token in (
            (self.customer, [self.invoice_b.id], None),
            (self.customer, [self.invoice_a.id, self.invoice_b.id], None),
            (self.client_b, [self.invoice_b.id], "wrong"),
            (
                self.client_b,
                [self.invoice_a.id],
                self.customer._billing_portal_token(self.company),
            ),
        ):
            with (
                self.subTest(partner=partner.name, ids=ids),
                self.assertRaises(JsonRpcException),
            ):
                self._transaction(partner, ids, token=token)
        self.assertFalse(
            self.env["payment.transaction"].search(
                [("invoice_ids", "in", (self.invoice_a | self.invoice_b).ids)]
            )
        )
        _response, tree = self._post(
            self.customer, "pay", {"move_ids": [self.invoice_b.id]}
        )
        self.assertIn("not open on your account", self._alert(tree, "error"))


@tagged("post_install", "-at_install")
class TestPortalTour(PortalCommon):
    def test_client_promises_disputes_and_pays(self):
        provider = self.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", self.company.id)]
        )
        provider.write({"state": "test", "is_published": True})
        self.start_tour(
            self.customer._billing_portal_url(self.company),
            "billing_followup_portal_tour",
        )
        promise = self.env["billing.followup.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual((promise.move_ids, promise.amount), (self.invoice_a, 100.0))
        self.assertTrue(self.invoice_a2.billing_disputed)
        self.assertEqual(
            self.invoice_a2.billing_dispute_reason, "The flowers never arrived"
        )
        tx = self.env["payment.transaction"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            (tx.state, tx.amount, tx.invoice_ids), ("done", 500.0, self.invoice_a)
        )
        self.assertFalse(self.invoice_a.amount_residual)
        self.assertEqual(self.invoice_a2.amount_residual, 200.0)
