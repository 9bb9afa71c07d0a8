"""Payment terms in plain words, in English and in the shipped languages."""

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.billing_followup.tools.plain_terms import (
    AFTER_END_OF_MONTH,
    EarlyDiscount,
    Instalment,
    describe_payment,
    describe_terms,
    format_percent,
)

IMMEDIATE = [Instalment(percent=100.0, days=0)]
THIRTY = [Instalment(percent=100.0, days=30)]
TWO_PARTS = [Instalment(percent=50.0, days=15), Instalment(percent=50.0, days=45)]
DISCOUNT = EarlyDiscount(percent=2.0, days=10)


class TestPlainTermsFunction(TransactionCase):
    """The plain-Python wording function, per language."""

    def test_english(self):
        self.assertEqual(describe_terms(IMMEDIATE), "due on receipt")
        self.assertEqual(describe_terms(THIRTY), "within 30 days")
        self.assertEqual(
            describe_terms(TWO_PARTS),
            "in two instalments: 50 % within 15 days, the rest within 45 days",
        )
        self.assertEqual(
            describe_payment(THIRTY, DISCOUNT),
            "Payment within 30 days. Pay within 10 days and save 2 %.",
        )
        self.assertEqual(
            describe_terms(
                [Instalment(percent=100.0, days=10, delay_type=AFTER_END_OF_MONTH)]
            ),
            "within 10 days after the end of the month",
        )

    def test_spanish(self):
        self.assertEqual(describe_terms(IMMEDIATE, "es_ES"), "al recibir la factura")
        self.assertEqual(describe_terms(THIRTY, "es_ES"), "en un plazo de 30 días")
        self.assertEqual(
            describe_terms(TWO_PARTS, "es_ES"),
            "en dos plazos: 50 % en un plazo de 15 días, "
            "el resto en un plazo de 45 días",
        )
        self.assertEqual(
            describe_payment(THIRTY, EarlyDiscount(2.5, 10), "es_ES", ","),
            "Pago en un plazo de 30 días. "
            "Pague en un plazo de 10 días y ahorre un 2,5 %.",
        )

    def test_other_shipped_languages(self):
        self.assertEqual(describe_terms(THIRTY, "id_ID"), "dalam 30 hari")
        self.assertEqual(describe_terms(THIRTY, "ko_KR"), "30일 이내")
        self.assertEqual(describe_terms(THIRTY, "bg_BG"), "в срок от 30 дни")
        self.assertEqual(
            describe_terms(TWO_PARTS, "ko_KR"),
            "2회 분할: 15일 이내 50 %, 잔액은 45일 이내",
        )

    def test_fixed_amount_and_more_instalments(self):
        parts = [
            Instalment(amount_text="$ 100.00", days=0),
            Instalment(percent=30.0, days=30),
            Instalment(percent=30.0, days=60),
            Instalment(percent=40.0, days=90),
            Instalment(percent=0.0, days=120),
        ]
        self.assertEqual(
            describe_terms(parts),
            "in 5 instalments: $ 100.00 on receipt, 30 % within 30 days, "
            "30 % within 60 days, 40 % within 90 days, the rest within 120 days",
        )
        self.assertEqual(format_percent(33.333), "33.33")


class TestPlainTermsOnInvoices(TransactionCase):
    """Odoo payment terms and invoices get the same words."""

    def _term(self, lines, **values):
        return self.env["account.payment.term"].create(
            {
                "name": "T",
                "line_ids": [Command.create(line) for line in lines],
                **values,
            }
        )

    def test_odoo_terms(self):
        immediate = self.env.ref("account.account_payment_term_immediate")
        self.assertEqual(
            immediate._billing_describe("en_US"), "Payment due on receipt."
        )
        instalments = self._term(
            [
                {"value": "percent", "value_amount": 50, "nb_days": 15},
                {"value": "percent", "value_amount": 50, "nb_days": 45},
            ]
        )
        self.assertEqual(
            instalments._billing_describe("en_US"),
            "Payment in two instalments: 50 % within 15 days, "
            "the rest within 45 days.",
        )
        early = self._term(
            [{"value": "percent", "value_amount": 100, "nb_days": 30}],
            early_discount=True,
            discount_percentage=2,
            discount_days=10,
        )
        self.assertEqual(early._billing_describe("en_US"), "Payment within 30 days.")
        self.assertEqual(
            early._billing_incentive("en_US"), "Pay within 10 days and save 2 %."
        )
        self.assertEqual(
            early._billing_incentive("es_ES"),
            "Pague en un plazo de 10 días y ahorre un 2 %.",
        )
        self.assertEqual(instalments._billing_incentive("en_US"), "")

    def test_invoice_with_early_discount(self):
        early = self._term(
            [{"value": "percent", "value_amount": 100, "nb_days": 30}],
            early_discount=True,
            discount_percentage=2,
            discount_days=10,
        )
        partner = self.env["res.partner"].create({"name": "Early Bird"})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-02-01",
                "invoice_payment_term_id": early.id,
                "invoice_line_ids": [
                    Command.create({"name": "Work", "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        currency = invoice.currency_id.symbol
        self.assertEqual(
            invoice.billing_terms_text,
            f"Payment within 30 days. Pay {currency}\xa0980.00 by 02/11/2026 "
            "and save 2 %.",
        )
        bare = invoice.copy({"invoice_payment_term_id": False})
        bare.write({"invoice_date": "2026-02-01", "invoice_date_due": "2026-02-15"})
        self.assertEqual(bare.billing_terms_text, "Payment within 14 days.")
