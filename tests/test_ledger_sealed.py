"""The follow-up ledger is written by the engine only: users read it and act
through the review actions, which refuse events about someone else's items;
no cascade deletes it (customer, company, step, sequence, partner merge)."""

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .followup_common import FollowupEngineCommon, day


class TestLedgerSealed(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="bf_seal_clerk",
            groups="billing_followup.billing_followup_group_user,"
            "account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.boss = new_test_user(
            cls.env,
            login="bf_seal_boss",
            groups="billing_followup.billing_followup_group_manager,"
            "account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Tulip Traders", "email": "ap@tulip.example"}
        )

    def _waiting_event(self):
        """A reminder waiting for review, as the engine records it."""
        self.steps[1].needs_review = True
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self.assertEqual(self._run(day(0))["to_review"], 1)
        return self._events(state="to_review")

    def _forged_event(self, **values):
        """A waiting reminder of the customer about someone else's things,
        as a forged row would be (written here behind the ORM's back)."""
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-2))
        return (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "kind": "email",
                    "state": "to_review",
                    "contact_id": self.customer.id,
                    "line_ids": [
                        Command.set(invoice.line_ids.filtered("date_maturity").ids)
                    ],
                    "move_ids": [Command.set(invoice.ids)],
                    **values,
                }
            )
            .sudo(False)
        )

    def test_users_cannot_create_or_edit_events(self):
        event = self._waiting_event()
        for user in (self.clerk, self.boss):
            Event = self.env["billing.followup.event"].with_user(user)
            with self.assertRaises(AccessError):
                Event.create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "kind": "email",
                    }
                )
            with self.assertRaises(AccessError):
                event.with_user(user).write({"state": "done"})
            with self.assertRaises(AccessError):
                event.with_user(user).write({"date": day(-30)})
            self.assertEqual(event.with_user(user).state, "to_review")

    def test_users_review_through_the_actions(self):
        event = self._waiting_event()
        event.with_user(self.clerk).action_send()
        self.assertEqual(event.state, "done")
        self.assertEqual(event.user_id, self.clerk)
        self.assertEqual(event.mail_id.state, "outgoing")
        second = self._invoice(self.other, 50.0, day(-40), day(-2))
        self.engine._run(date=day(0), partners=self.other)
        skipped = self._events(self.other, state="to_review")
        skipped.with_user(self.boss).action_skip()
        self.assertEqual(skipped.state, "cancelled")
        self.assertEqual(skipped.user_id, self.boss)
        self.assertEqual(skipped.move_ids, second)

    def test_review_refuses_another_customers_invoice(self):
        stranger = self._invoice(self.other, 999.0, day(-40), day(-2))
        event = self._forged_event(move_ids=[Command.link(stranger.id)])
        with self.assertRaisesRegex(UserError, "do not belong to Orchid Florists"):
            event.with_user(self.clerk).action_send()
        with self.assertRaisesRegex(UserError, "do not belong to Orchid Florists"):
            event.with_user(self.clerk).action_skip()
        self.assertEqual(event.state, "to_review")
        self.assertFalse(event.mail_id)

    def test_review_refuses_another_customers_item_or_contact(self):
        stranger = self._invoice(self.other, 999.0, day(-40), day(-2))
        receivable = stranger.line_ids.filtered("date_maturity")
        event = self._forged_event(line_ids=[Command.link(receivable.id)])
        with self.assertRaisesRegex(UserError, stranger.name):
            event.with_user(self.clerk).action_send()
        event = self._forged_event(contact_id=self.other.id)
        with self.assertRaisesRegex(UserError, "Tulip Traders is not a contact of"):
            event.with_user(self.clerk).action_send()
        self.assertFalse(event.mail_id)

    def test_review_refuses_another_company(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.clerk.company_ids |= other_company
        event = self._forged_event(company_id=other_company.id)
        with self.assertRaisesRegex(UserError, "do not belong"):
            event.with_user(self.clerk).with_context(
                allowed_company_ids=other_company.ids
            ).action_send()

    def test_manual_message_is_logged_for_an_employee(self):
        employee = new_test_user(
            self.env,
            login="bf_seal_employee",
            groups="base.group_user,base.group_partner_manager",
        )
        self.customer.with_user(employee).message_post(
            body="Could you confirm the payment date?",
            partner_ids=self.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        manual = self._events(kind="manual")
        self.assertEqual(len(manual), 1)
        self.assertEqual(manual.user_id, employee)

    def test_no_cascade_deletes_the_ledger(self):
        company = self.env["res.company"].create({"name": "Short-lived Ltd"})
        event = (
            self.env["billing.followup.event"]
            .sudo()
            .create(
                {
                    "partner_id": self.other.id,
                    "company_id": company.id,
                    "kind": "manual",
                }
            )
        )
        for record in (self.other, company):
            with (
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                record.unlink()
        self.assertTrue(event.exists())

    def test_steps_and_sequences_with_history_are_archived(self):
        event = self._waiting_event()
        unused = self.steps[7]
        self.sequence.write(
            {"step_ids": [Command.delete(self.steps[1].id), Command.delete(unused.id)]}
        )
        self.assertFalse(unused.exists())
        self.assertTrue(event.step_id.exists())
        self.assertFalse(event.step_id.active)
        self.assertNotIn(event.step_id, self.sequence.step_ids)
        blank = self.sequence.copy({"name": "Never used"})
        (self.sequence | blank).unlink()
        self.assertFalse(blank.exists())
        self.assertTrue(self.sequence.exists())
        self.assertFalse(self.sequence.active)
        self.assertEqual(event.step_id.sequence_id, self.sequence)

    def test_merging_two_customers_keeps_their_events(self):
        """Both duplicates had the same reminder of the same cycle: the
        merge keeps both events (Odoo's merge would fail on the ledger's
        unique key) and the merged customer is not reminded again."""
        twin = self.customer.copy({"name": "Orchid Florists (duplicate)"})
        customers = self.customer | twin
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        self.assertEqual(self.engine._run(date=day(0), partners=customers)["emails"], 2)
        events = self._events(customers)
        self.assertEqual(len(events), 2)
        self.env["base.partner.merge.automatic.wizard"].sudo()._merge(
            customers.ids, dst_partner=self.customer, extra_checks=False
        )
        self.assertFalse(twin.exists())
        self.assertEqual(events.exists(), events)
        self.assertEqual(events.partner_id, self.customer)
        self.assertEqual(len(set(events.mapped("key"))), 2)
        counts = self.engine._run(date=day(1), partners=self.customer)
        self.assertFalse(counts.get("emails"))
        self.assertEqual(self._events(), events)
        worklist = self.env["billing.followup.worklist"].search(
            [("partner_id", "in", customers.ids)]
        )
        self.assertEqual(worklist.partner_id, self.customer)
        self.assertEqual(worklist.open_count, 2)
