from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

from .common import BillingFollowupCommon


class TestFollowupMenuTour(BillingFollowupCommon, HttpCase):
    """An accountant logs in and opens Invoicing > Follow-up in Chromium."""

    def test_accountant_opens_followup_menu(self):
        accountant = new_test_user(
            self.env,
            login="bf_tour_accountant",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        # due long ago: overdue whatever the day and time zone of the run
        self._invoice(self.customer, 300.0, "2020-01-01", "2020-01-31")
        self.start_tour("/odoo", "billing_followup_menu_tour", login=accountant.login)
        # the tour's Refresh wrote the customer's row
        row = self.env["billing.followup.worklist"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual((row.overdue_amount, row.open_count), (300.0, 1))
        self.assertEqual(row.oldest_due_date, fields.Date.to_date("2020-01-31"))
