"""A customer gets its reminder in its own language."""

from .followup_common import FollowupEngineCommon, day

EXPECTED = {
    "es_ES": ("recordatorio amable", "Hola", "Pagar ahora", "Vencimiento"),
    "id_ID": ("pengingat ramah", "Halo", "Bayar sekarang", "Jatuh tempo"),
    "ko_KR": ("정중한 알림", "안녕하세요", "지금 결제", "만기일"),
    "bg_BG": ("любезно напомняне", "Здравейте", "Плати сега", "Падеж"),  # noqa: RUF001
}


class TestFollowupLanguages(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in EXPECTED:
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["billing_followup"], list(EXPECTED), overwrite=True
        )

    def test_each_customer_in_its_language(self):
        customers = self.env["res.partner"]
        for code in EXPECTED:
            customer = self.customer.copy({"name": f"Customer {code}", "lang": code})
            self._invoice(customer, 100.0, day(-40), day(-2))
            customers |= customer
        english = self.customer
        self._invoice(english, 100.0, day(-40), day(-2))
        self._run(day(0), customers | english)
        for customer in customers:
            mail = self._events(customer, kind="email").mail_id
            subject, hello, pay, due = EXPECTED[customer.lang]
            self.assertIn(subject, mail.subject)
            for text in (hello, pay, due):
                self.assertIn(text, mail.body_html, customer.lang)
            self.assertNotIn("Pay now", mail.body_html)
        mail = self._events(english, kind="email").mail_id
        self.assertIn("kind reminder", mail.subject)
        self.assertIn("Pay now", mail.body_html)
