"""A customer gets its reminder in its own language."""

from .followup_common import FollowupEngineCommon, day

EXPECTED = {
    "es_ES": ("recordatorio amable", "Hola", "Pagar ahora", "Vencimiento"),
    "id_ID": ("pengingat ramah", "Halo", "Bayar sekarang", "Jatuh tempo"),
    "ko_KR": ("정중한 알림", "안녕하세요", "지금 결제", "만기일"),
    "bg_BG": ("любезно напомняне", "Здравейте", "Плати сега", "Падеж"),  # noqa: RUF001
}

# (first contact of a cycle, a real later reminder naming its dates)
HISTORY = {
    "en_US": ("overdue and still unpaid", "Despite our reminders of"),
    "es_ES": (
        "están vencidos y siguen sin pagar",
        "A pesar de nuestros recordatorios del",
    ),
    "id_ID": (
        "sudah jatuh tempo dan masih belum dibayar",
        "Meskipun kami sudah mengingatkan pada",
    ),
    "ko_KR": ("연체되었으며 아직 결제되지 않았습니다", "에 알려 드렸음에도"),
    "bg_BG": ("са просрочени и все още не са платени", "Въпреки напомнянията ни от"),  # noqa: RUF001
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
        # the company takes online payments: the messages offer them
        cls.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)]
        ).write({"state": "test", "is_published": True})

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
            self.assertNotIn("Overdue", mail.body_html, "sections and totals too")
        mail = self._events(english, kind="email").mail_id
        self.assertIn("kind reminder", mail.subject)
        self.assertIn("Pay now", mail.body_html)

    def test_first_contact_and_real_reminder_in_each_language(self):
        """Reached late, the firmer step claims no earlier reminder; after
        real ones, it names their dates (in the customer's format)."""
        for code, (first, later) in HISTORY.items():
            late = self.customer.copy({"name": f"Late {code}", "lang": code})
            kept = self.customer.copy({"name": f"Kept {code}", "lang": code})
            self._invoice(late, 100.0, day(-40), day(-16))
            self._invoice(kept, 100.0, day(-30), day(-1))
            self._run(day(0), late | kept)
            self._run(day(6), kept)
            self._run(day(13), kept)
            body = self._events(late, kind="email").mail_id.body_html
            self.assertIn(first, body, code)
            self.assertNotIn(later, body, code)
            firmer = self._events(kept, kind="email", step_id=self.steps[14].id)
            body = firmer.mail_id.body_html
            self.assertIn(later, body, code)
            self.assertNotIn(first, body, code)
            lang = self.env["res.lang"]._lang_get(code)
            for sent in (day(0), day(6)):
                self.assertIn(sent.strftime(lang.date_format), body, code)
