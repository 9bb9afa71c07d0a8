from datetime import timedelta

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


class TestFollowupLadderTour(BillingFollowupCommon, HttpCase):
    """A finance manager opens the stage kanban and approves the last resort."""

    def test_manager_approves_the_last_resort(self):
        manager = new_test_user(
            self.env,
            login="bf_tour_manager",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.company.email = "billing@company.example"
        ref = self.env.ref
        hold, last = (
            ref("billing_followup.stage_credit_hold"),
            ref("billing_followup.stage_last_resort"),
        )
        templates = ref("billing_followup.mail_template_reminder")
        self.company.billing_followup_sequence_id = self.env[
            "billing.followup.sequence"
        ].create(
            {
                "name": "Tour ladder",
                "company_id": self.company.id,
                "send_weekday_ids": [
                    Command.set(self.env["billing.followup.weekday"].search([]).ids)
                ],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Hold",
                            "offset_days": 1,
                            "mail_template_id": templates.id,
                            "stage_id": hold.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Collections",
                            "offset_days": 5,
                            "mail_template_id": templates.id,
                            "stage_id": last.id,
                        }
                    ),
                ],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Ladder Tour Ltd", "email": "ap@ladder-tour.example"}
        )
        invoice = self._invoice(customer, 900.0, "2026-01-01", "2026-01-31")
        engine = self.env["billing.followup.engine"]
        engine._run(
            date=invoice.invoice_date_due + timedelta(days=1), partners=customer
        )
        engine._run(
            date=invoice.invoice_date_due + timedelta(days=5), partners=customer
        )
        self.assertEqual(customer.with_company(self.company).billing_stage_id, hold)
        self.start_tour("/odoo", "billing_followup_ladder_tour", login=manager.login)
        promise = customer.billing_promise_ids
        self.assertEqual(
            (promise.move_ids, promise.amount, promise.state, promise.user_id),
            (invoice, 900.0, "open", manager),
        )
        self.assertEqual(promise.note, "Pays after the board meeting")
        self.assertEqual(customer.with_company(self.company).billing_stage_id, last)
        self.assertEqual(
            self.env["billing.followup.event"]
            .search([("partner_id", "=", customer.id), ("kind", "=", "handover")])
            .user_id,
            manager,
        )


class TestFollowupStageDragTour(BillingFollowupCommon, HttpCase):
    """A manager drags a customer's card to another stage: a reason first."""

    def test_dragged_card_asks_for_a_reason(self):
        manager = new_test_user(
            self.env,
            login="bf_drag_manager",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        ref = self.env.ref
        hold, final = (
            ref("billing_followup.stage_credit_hold"),
            ref("billing_followup.stage_final_notice"),
        )
        customer = self.env["res.partner"].create({"name": "Drag Tour Ltd"})
        customer.with_company(self.company).with_context(
            billing_stage_reason="Three months late"
        ).billing_stage_id = hold
        self.start_tour(
            "/odoo/billing-customers-by-stage",
            "billing_followup_stage_drag_tour",
            login=manager.login,
        )
        customer = customer.with_company(self.company)
        self.assertEqual(customer.billing_stage_id, final)
        moved = self.env["billing.followup.event"].search(
            [("partner_id", "=", customer.id), ("kind", "=", "stage")], order="id"
        )
        self.assertEqual(
            [(e.stage_id, e.note) for e in moved],
            [
                (hold, "Three months late"),
                (final, "Paid half; the director asked for a week"),
            ],
        )
        self.assertEqual(moved[-1].user_id, manager)
