"""The engine renders each mail template once per batch (issue 14): the
messages stay the same byte for byte. The golden files were written by the
rendering of 26 November 2026 (main before the batch rendering), with the record
ids and portal tokens replaced by names."""

from collections import Counter
from pathlib import Path
from unittest.mock import patch

from lxml import etree

from odoo import Command

from odoo.addons.base.models.ir_qweb import IrQweb
from odoo.addons.base.models.ir_qweb_fields import (
    IrQwebFieldDate,
    IrQwebFieldMonetary,
)

from .followup_common import FollowupEngineCommon, day

GOLDEN = Path(__file__).parent / "golden"


class TestFollowupRenderGolden(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["billing_followup"], ["es_ES"], overwrite=True
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "web.base.url", "https://billing.example"
        )
        # the company takes online payments: the messages offer them
        cls.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)]
        ).write({"state": "test", "is_published": True})
        cls.env["res.partner.bank"].create(
            {"acc_number": "BE71096123456769", "partner_id": cls.company.partner_id.id}
        )
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "2/40 net 50",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 40,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 50}
                    )
                ],
            }
        )
        cls.sequence.write(
            {
                "send_thanks": True,
                "thanks_template_id": cls.env.ref(
                    "billing_followup.mail_template_thanks"
                ).id,
            }
        )
        cls.spanish = cls.customer.copy({"name": "Floristería Sol", "lang": "es_ES"})
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Ada Lovelace",
                "email": "ada@orchid-florists.example",
                "parent_id": cls.customer.id,
                "type": "invoice",
            }
        )

    def _open_items(self, customer):
        """An overdue invoice, one coming with an early-payment discount and a
        credit note."""
        return (
            self._invoice(customer, 1250.5, day(-40), day(-2), label="Design")
            | self._invoice(
                customer, 300.0, day(-5), invoice_payment_term_id=self.term.id
            )
            | self._invoice(customer, 80.0, day(-30), day(-30), move_type="out_refund")
        )

    def _named(self, html, moves):
        """`html` with the ids and tokens of `moves` and of their customers'
        pages replaced by names."""
        for n, move in enumerate(moves.sorted("id")):
            html = html.replace(f"/my/invoices/{move.id}?", f"/my/invoices/MOVE{n}?")
            html = html.replace(move.access_token, f"TOKEN{n}")
        for n, customer in enumerate(moves.commercial_partner_id.sorted("id")):
            page = customer._billing_portal_url(self.company)
            html = html.replace(page, f"/my/billing/CUSTOMER{n}")
        return html

    def _assert_golden(self, name, mail, moves):
        text = "\n".join([mail.subject, mail.email_from, mail.body_html])
        expected = (GOLDEN / f"{name}.html").read_text()
        self.assertEqual(self._named(text, moves), expected, name)

    def test_reminders_and_thanks_as_before_in_each_language(self):
        moves = self._open_items(self.customer) | self._open_items(self.spanish)
        customers = self.customer | self.spanish
        self.assertEqual(self._run(day(0), customers)["emails"], 2)
        for name, customer in (
            ("reminder_en", self.customer),
            ("reminder_es", self.spanish),
        ):
            mail = self._events(customer, kind="email").mail_id
            self._assert_golden(name, mail, moves)
        self.assertEqual(self._run(day(6), customers)["emails"], 2)
        mail = self._events(self.customer, kind="email")[-1].mail_id
        self._assert_golden("statement_en", mail, moves)
        for move in moves.filtered(lambda m: m.move_type == "out_invoice"):
            self._pay(move, date=day(7))
        self.assertEqual(self._run(day(8), customers)["thanks"], 2)
        for name, customer in (
            ("thanks_en", self.customer),
            ("thanks_es", self.spanish),
        ):
            mail = self._events(customer, kind="thanks").mail_id
            self._assert_golden(name, mail, moves)

    def test_a_batch_compiles_each_body_once_per_language(self):
        customers = self.customer | self.spanish
        for n in range(3):
            customers |= self.customer.copy({"name": f"Customer {n}"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        compiled = []
        generate = IrQweb._generate_code_uncached

        def spy(qweb, template):
            if isinstance(template, etree._Element):
                compiled.append(qweb.env.context.get("lang"))
            return generate(qweb, template)

        with patch.object(IrQweb, "_generate_code_uncached", spy):
            self.assertEqual(self._run(day(0), customers)["emails"], 5)
        self.assertEqual(sorted(compiled), ["en_US", "es_ES"])

    def test_a_batch_formats_each_date_and_amount_once_per_language(self):
        """The same due dates and amounts in every customer's table are
        formatted once per batch, language and place in the template (the
        golden files show that they read the same)."""
        customers = self.customer | self.spanish
        for n in range(3):
            customers |= self.customer.copy({"name": f"Customer {n}"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        formatted = []
        date_html = IrQwebFieldDate.value_to_html
        money_html = IrQwebFieldMonetary.value_to_html

        def spy(original):
            def value_to_html(converter, value, options):
                where = options.get("expression")
                formatted.append((value, converter.env.lang, where))
                return original(converter, value, options)

            return value_to_html

        with (
            patch.object(IrQwebFieldDate, "value_to_html", spy(date_html)),
            patch.object(IrQwebFieldMonetary, "value_to_html", spy(money_html)),
        ):
            self.assertEqual(self._run(day(0), customers)["emails"], 5)
        self.assertTrue(formatted)
        self.assertEqual(len(formatted), len(set(formatted)))

    def test_a_batch_looks_each_template_up_once_per_language(self):
        """The parts a body calls (items table, rows, signature...) and the
        chatter note are looked up once per batch and language, not once
        per customer."""
        customers = self.customer | self.spanish
        for n in range(3):
            customers |= self.customer.copy({"name": f"Customer {n}"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        looked_up = Counter()
        template_info = IrQweb._get_template_info

        def spy(qweb, template):
            looked_up[template, qweb.env.lang] += 1
            return template_info(qweb, template)

        with patch.object(IrQweb, "_get_template_info", spy):
            self.assertEqual(self._run(day(0), customers)["emails"], 5)
        self.assertIn(("billing_followup.followup_item_row", "es_ES"), looked_up)
        # four customers in English: at most twice (compiling looks it up too)
        self.assertLessEqual(max(looked_up.values()), 2, looked_up)
