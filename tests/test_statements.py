"""Customer statements against a hand-computed fixture: the outstanding
statement (items, buckets, two currencies, a credit note, an unapplied
payment, a partial payment; as of a past date too), the activity statement
(opening, entries, running and closing balances), the PDF reports on
res.partner (one page block per customer, the client's language), company
isolation and who may print them."""

import io

from lxml import html as lxml_html
from pypdf import PdfReader

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day

OUTSTANDING = "billing_followup.report_statement_outstanding"
ACTIVITY = "billing_followup.report_statement_activity"


class StatementCommon(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.company.currency_id
        cls.eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        cls.Report = cls.env["ir.actions.report"]

    @classmethod
    def _unapplied_payment(cls, partner, amount, date):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "date": date,
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        return payment

    @classmethod
    def _fixture(cls):
        """On day(0): USD 600 (1,000 less 400 paid, 95 days late), 500 (40
        late), 300 (10 late), 200 (due in 25 days), a credit note of 150 and
        an unapplied payment of 100 (3 and 1 days old); EUR 250 (65 late);
        a paid invoice that no statement shows as open."""
        cls.old = cls._invoice(cls.customer, 1000.0, day(-100), day(-95), ref="PO-7")
        cls.old_payment = cls._pay(cls.old, 400.0, day(-10)).move_id
        cls.mid = cls._invoice(cls.customer, 500.0, day(-50), day(-40))
        cls.late = cls._invoice(cls.customer, 300.0, day(-20), day(-10))
        cls.coming = cls._invoice(cls.customer, 200.0, day(-5), day(25))
        cls.refund = cls._invoice(
            cls.customer, 150.0, day(-3), move_type="out_refund", label="Refund"
        )
        cls.payment = cls._unapplied_payment(cls.customer, 100.0, day(-1))
        cls.euro = cls._invoice(
            cls.customer, 250.0, day(-70), day(-65), currency_id=cls.eur.id
        )
        cls.paid = cls._invoice(cls.customer, 80.0, day(-30), day(-20))
        cls.paid_payment = cls._pay(cls.paid, date=day(-25)).move_id

    def _html(self, report, partners, data=None):
        html, _type = self.Report._render_qweb_html(report, partners.ids, data=data)
        return html.decode()


class TestOutstandingStatement(StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fixture()

    def _blocks(self, on):
        return self.customer._billing_outstanding_statements(on, self.company)[
            self.customer.id
        ]

    def _check_day_zero(self, blocks):
        self.assertEqual([b["currency"] for b in blocks], [self.usd, self.eur])
        usd = next(b for b in blocks if b["currency"] == self.usd)
        eur = next(b for b in blocks if b["currency"] == self.eur)
        self.assertEqual(
            usd["buckets"],
            {
                "current": 200.0,
                "1_30": 50.0,  # 300 - 150 - 100
                "31_60": 500.0,
                "61_90": 0.0,
                "90_plus": 600.0,
            },
        )
        self.assertEqual(usd["total"], 1350.0)
        self.assertEqual(usd["overdue"], 1150.0, "credits deducted, not the 200")
        rows = [
            (i["number"], i["kind"], i["amount"], i["open"], i["days_late"])
            for i in usd["items"]
        ]
        self.assertEqual(
            rows,
            [
                (self.old.name, "invoice", 1000.0, 600.0, 95),
                (self.mid.name, "invoice", 500.0, 500.0, 40),
                (self.late.name, "invoice", 300.0, 300.0, 10),
                (self.refund.name, "credit_note", -150.0, -150.0, None),
                (self.payment.move_id.name, "payment", -100.0, -100.0, None),
                (self.coming.name, "invoice", 200.0, 200.0, 0),
            ],
        )
        self.assertEqual(usd["items"][0]["reference"], "PO-7")
        self.assertEqual(eur["total"], 250.0)
        self.assertEqual(eur["buckets"]["61_90"], 250.0)
        self.assertEqual([i["open"] for i in eur["items"]], [250.0], "in euros")

    def test_figures_on_a_past_date(self):
        """day(0) is before today: what was open then, from the
        reconciliations dated up to it."""
        self._check_day_zero(self._blocks(day(0)))

    def test_figures_today_read_the_residuals(self):
        with freeze_time(day(0)):
            self._check_day_zero(self._blocks(day(0)))

    def test_before_the_partial_payment_and_the_credits(self):
        blocks = self._blocks(day(-15))
        usd = next(b for b in blocks if b["currency"] == self.usd)
        self.assertEqual(
            [(i["number"], i["open"]) for i in usd["items"]],
            [
                (self.old.name, 1000.0),
                (self.mid.name, 500.0),
                (self.late.name, 300.0),
            ],
        )
        self.assertEqual(usd["buckets"]["current"], 300.0, "due day(-10): not late")
        self.assertEqual(usd["buckets"]["1_30"], 500.0)
        self.assertEqual(usd["buckets"]["61_90"], 1000.0)
        self.assertEqual(usd["total"], 1800.0)

    def test_nothing_open_is_an_empty_statement(self):
        other = self.customer.copy({"name": "Nobody Owes"})
        self.assertEqual(
            other._billing_outstanding_statements(day(0), self.company),
            {other.id: []},
        )

    def test_contact_prints_its_company_statement(self):
        contact = self.env["res.partner"].create(
            {"name": "Iris", "parent_id": self.customer.id}
        )
        statements = contact._billing_outstanding_statements(day(0), self.company)
        self.assertEqual(list(statements), [self.customer.id])
        self.assertEqual(len(statements[self.customer.id]), 2)

    def test_pdf_of_many_customers_one_block_each(self):
        second = self.env["res.partner"].create({"name": "Tulip Traders"})
        tulip = self._invoice(second, 75.0, day(-40), day(-35))
        contact = self.env["res.partner"].create(
            {"name": "Iris", "parent_id": self.customer.id}
        )
        html = self._html(
            OUTSTANDING,
            self.customer | second | contact,
            {"date": "2026-03-02", "company_id": self.company.id},
        )
        tree = lxml_html.fromstring(html)
        pages = tree.xpath("//div[hasclass('page')]")
        self.assertEqual(len(pages), 2, "the contact is its company, once")
        first, other = (" ".join(p.text_content().split()) for p in pages)
        self.assertIn(self.refund.name, first)
        self.assertIn("Credit note", first)
        self.assertIn("Payment not yet applied", first)
        self.assertIn("Amounts in EUR", first)
        self.assertNotIn(tulip.name, first)
        self.assertIn(tulip.name, other)
        self.assertNotIn("Amounts in", other, "one currency: no currency title")
        self.assertIn("PO-7", first)
        self.assertNotIn("Reference", other, "no reference: no column")
        totals = [
            " ".join(row.text_content().split())
            for row in pages[0].xpath(".//table[@name='statement_items']//tfoot/tr")
        ]
        self.assertEqual(
            totals,
            [
                "Overdue now $ 1,150.00",
                "Total open $ 1,350.00",
                "Overdue now 250.00 €",
                "Total open 250.00 €",
            ],
        )

    def test_pdf_in_the_client_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["billing_followup"], ["es_ES"], overwrite=True
        )
        self.customer.lang = "es_ES"
        html = self._html(OUTSTANDING, self.customer, {"date": "2026-03-02"})
        self.assertIn("02/03/2026", html, "dates in the Spanish format")
        self.assertNotIn("03/02/2026", html)

    def test_real_pdf_of_several_customers(self):
        """Debian's wkhtmltopdf refuses several documents in one run: each
        customer is rendered alone, the PDFs merged (a contact prints as its
        company, once)."""
        second = self.env["res.partner"].create({"name": "Tulip Traders"})
        self._invoice(second, 75.0, day(-40), day(-35))
        contact = self.env["res.partner"].create(
            {"name": "Iris", "parent_id": self.customer.id}
        )
        for report in (OUTSTANDING, ACTIVITY):
            pdf, kind = self.Report.with_context(
                force_report_rendering=True
            )._render_qweb_pdf(report, (self.customer | second | contact).ids)
            self.assertEqual(kind, "pdf")
            self.assertGreaterEqual(len(PdfReader(io.BytesIO(pdf)).pages), 2, report)

    def test_real_pdf(self):
        pdf, kind = self.Report.with_context(
            force_report_rendering=True
        )._render_qweb_pdf(OUTSTANDING, self.customer.ids, data={"date": "2026-03-02"})
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))


class TestActivityStatement(StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fixture()

    def test_opening_lines_and_closing(self):
        """Over [day(-30), day(0)]: opening = what was booked before it
        (1,000 + 500 - 0 in USD; 250 EUR), then the entries in date order."""
        statements = self.customer._billing_activity_statements(
            day(-30), day(0), self.company
        )
        usd, eur = statements[self.customer.id]
        self.assertEqual((usd["currency"], eur["currency"]), (self.usd, self.eur))
        self.assertEqual(usd["opening"], 1500.0)
        rows = [
            (e["number"], e["kind"], e["amount"], e["balance"]) for e in usd["lines"]
        ]
        self.assertEqual(
            rows,
            [
                (self.paid.name, "invoice", 80.0, 1580.0),
                (self.paid_payment.name, "payment", -80.0, 1500.0),
                (self.late.name, "invoice", 300.0, 1800.0),
                (self.old_payment.name, "payment", -400.0, 1400.0),
                (self.coming.name, "invoice", 200.0, 1600.0),
                (self.refund.name, "credit_note", -150.0, 1450.0),
                (self.payment.move_id.name, "payment", -100.0, 1350.0),
            ],
        )
        self.assertEqual(usd["closing"], 1350.0, "the outstanding total that day")
        self.assertEqual((usd["invoiced"], usd["credited"]), (580.0, 730.0))
        self.assertEqual(
            (eur["opening"], eur["lines"], eur["closing"]), (250.0, [], 250.0)
        )

    def test_fee_invoice_is_labelled(self):
        fee = self._invoice(self.customer, 15.0, day(-2), day(10), label="Late fee")
        fee.billing_fee_source_ids = self.mid
        statements = self.customer._billing_activity_statements(
            day(-2), day(-2), self.company
        )
        [usd] = statements[self.customer.id][:1]
        self.assertEqual(
            [(e["number"], e["kind"]) for e in usd["lines"]], [(fee.name, "fee")]
        )
        html = self._html(
            ACTIVITY,
            self.customer,
            {"date_from": "2026-02-28", "date_to": "2026-02-28"},
        )
        self.assertIn("Late fee", html)
        self.assertIn("Opening balance", html)
        self.assertIn("Closing balance", html)

    def test_wizard_prints_last_month_by_default(self):
        clerk = new_test_user(
            self.env,
            login="bf_statement_wizard_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        with freeze_time("2026-03-15"):
            wizard = (
                self.env["billing.statement.wizard"]
                .with_user(clerk)
                .with_context(active_model="res.partner", active_ids=self.customer.ids)
                .create({})
            )
        self.assertEqual(
            (str(wizard.date_from), str(wizard.date_to)), ("2026-02-01", "2026-02-28")
        )
        self.assertEqual(wizard.partner_ids, self.customer)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], ACTIVITY)
        self.assertEqual(
            action["data"],
            {
                "date_from": "2026-02-01",
                "date_to": "2026-02-28",
                "company_id": self.company.id,
            },
        )


class TestStatementIsolation(StatementCommon):
    def test_other_company_items_never_show(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        mine = self._invoice(self.customer, 100.0, day(-10), day(-5))
        theirs = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": day(-10),
                    "invoice_date_due": day(-5),
                    "company_id": company_b.id,
                    "ref": "B-ONLY",
                    "invoice_line_ids": [
                        (0, 0, {"name": "B work", "price_unit": 999.0, "tax_ids": []})
                    ],
                }
            )
        )
        theirs.action_post()
        [usd] = self.customer._billing_outstanding_statements(day(0), self.company)[
            self.customer.id
        ]
        self.assertEqual([i["number"] for i in usd["items"]], [mine.name])
        html = self._html(OUTSTANDING, self.customer, {"date": "2026-03-02"})
        self.assertNotIn("B-ONLY", html)
        self.assertNotIn("999.00", html)
        in_b = self.customer._billing_outstanding_statements(day(0), company_b)
        self.assertEqual(
            [i["number"] for i in in_b[self.customer.id][0]["items"]], [theirs.name]
        )

    def test_followup_user_prints_others_do_not(self):
        self._invoice(self.customer, 100.0, day(-10), day(-5))
        clerk = new_test_user(
            self.env,
            login="bf_statement_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        employee = new_test_user(
            self.env,
            login="bf_statement_employee",
            groups="base.group_user",
            company_id=self.company.id,
        )
        html, _type = self.Report.with_user(clerk)._render_qweb_html(
            OUTSTANDING, self.customer.ids, data={"date": "2026-03-02"}
        )
        self.assertIn(b"Statement of account", html)
        for report in (OUTSTANDING, ACTIVITY):
            with self.assertRaises(AccessError):
                self.Report.with_user(employee)._render_qweb_html(
                    report, self.customer.ids
                )
        company_b = self.setup_other_company(name="Company B")["company"]
        with self.assertRaises(AccessError):
            self.Report.with_user(clerk)._render_qweb_html(
                OUTSTANDING, self.customer.ids, data={"company_id": company_b.id}
            )
        action = self.env.ref("billing_followup.action_report_statement_outstanding")
        self.assertIn(clerk, action.group_ids.all_user_ids)
        self.assertNotIn(employee, action.group_ids.all_user_ids)
