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
        today = fields.Date.today()
        self._invoice(
            self.customer,
            300.0,
            fields.Date.subtract(today, days=40),
            fields.Date.subtract(today, days=10),
        )
        self.start_tour("/odoo", "billing_followup_menu_tour", login=accountant.login)
