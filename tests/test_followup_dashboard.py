"""The Invoicing overview shows the follow-up's counts on the company's
sales journal card, each opening its list, in a fixed number of queries."""

from odoo.tests import new_test_user

from .followup_common import FollowupEngineCommon, day


class TestFollowupDashboard(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steps[21].needs_review = True
        cls.journal = cls.company_data["default_journal_sale"]
        cls.others = cls.env["res.partner"].create(
            [
                {"name": "No address", "email": False},
                {"name": "Late payer", "email": "late@payer.example"},
            ]
        )

    def _card(self):
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.company.id)]
        )
        return journals._get_journal_dashboard_data_batched()[self.journal.id]

    def test_counts_and_their_lists(self):
        no_address, late = self.others
        self._invoice(self.customer, 100.0, day(-40), day(0))
        self._invoice(no_address, 100.0, day(-40), day(0))
        self._invoice(late, 100.0, day(-40), day(0))
        self._invoice(late, 50.0, day(-1), day(30))  # not due: not overdue twice
        for offset in (1, 7, 14, 21):
            self._run(day(offset), self.customer | self.others)
        card = self._card()
        review = self.env["billing.followup.review"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(card["billing_to_review"], len(review))
        self.assertEqual(len(review), 3, "one line per customer at the final step")
        self.assertEqual(card["billing_failed_emails"], 1)
        self.assertEqual(card["billing_overdue"], 3)

        Worklist = self.env["billing.followup.worklist"]
        action = self.journal.action_billing_failed_emails()
        self.assertEqual(action["context"], {"search_default_failed_email": 1})
        rows = Worklist.search(action["domain"] + [("failed_email_count", ">", 0)])
        self.assertEqual(rows.partner_id, no_address)
        action = self.journal.action_billing_customers_overdue()
        self.assertEqual(action["context"], {"search_default_overdue": 1})
        rows = Worklist.search(action["domain"] + [("overdue_amount", ">", 0)])
        self.assertEqual(rows.partner_id, self.customer | self.others)
        action = self.journal.action_billing_followup_review()
        self.assertEqual(
            self.env["billing.followup.review"].search(action["domain"]), review
        )

    def test_queries_do_not_grow_with_customers(self):
        self._invoice(self.customer, 100.0, day(-40), day(0))
        self._card()  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._card()
        one = self.env.cr.sql_log_count - before
        for partner in self.others:
            self._invoice(partner, 100.0, day(-40), day(0))
        self._run(day(14), self.customer | self.others)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._card()
        self.assertLessEqual(self.env.cr.sql_log_count - before, one + 1)

    def test_hidden_from_users_outside_the_followup(self):
        self._invoice(self.customer, 100.0, day(-40), day(0))
        reader = new_test_user(
            self.env,
            login="bf_dashboard_reader",
            groups="account.group_account_readonly",
            company_id=self.company.id,
        )
        journals = (
            self.env["account.journal"]
            .with_user(reader)
            .search([("company_id", "=", self.company.id)])
        )
        card = journals._get_journal_dashboard_data_batched()[self.journal.id]
        self.assertNotIn("billing_overdue", card)
