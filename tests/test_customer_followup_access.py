"""A customer's follow-up settings: set by follow-up users only (also those
without the right to edit contacts, through the settings wizard), and the
invoicing contact is one of the customer's own."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user

from .common import BillingFollowupCommon

FIELDS = (
    "billing_excluded",
    "billing_stage_id",
    "billing_followup_sequence_id",
    "billing_responsible_id",
    "billing_invoice_contact_id",
    "billing_min_interval_days",
    "billing_no_send_weekday_ids",
    "billing_personal_note",
)


class TestCustomerFollowupAccess(BillingFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env,
            login="bf_acc_employee",
            groups="base.group_user,base.group_partner_manager",
            company_id=cls.company.id,
        )
        cls.clerk = new_test_user(
            cls.env,
            login="bf_acc_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=cls.company.id,
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ann Orchid", "parent_id": cls.customer.id, "type": "invoice"}
        )
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Bob Tulip", "email": "bob@tulip.example"}
        )
        cls.stage = cls.env["billing.followup.stage"].create(
            {"name": "On hold", "credit_hold": True}
        )

    def test_invoicing_contact_belongs_to_the_customer(self):
        with self.assertRaisesRegex(
            ValidationError,
            "Bob Tulip cannot be the invoicing contact of Orchid Florists",
        ):
            self.customer.billing_invoice_contact_id = self.stranger
        self.customer.billing_invoice_contact_id = self.contact
        self.assertEqual(self.customer._billing_contact(), self.contact)
        # moved to another company later: reminders go to the customer again
        self.contact.parent_id = self.stranger
        self.assertNotEqual(self.customer._billing_contact(), self.contact)

    def test_employee_cannot_change_or_see_the_followup(self):
        customer = self.customer.with_user(self.employee)
        customer.name = "Orchid Florists Ltd"  # may edit contacts in general
        for name in FIELDS:
            with self.subTest(field=name), self.assertRaises(AccessError):
                customer.write({name: False})
        arch = customer.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("billing_excluded", arch)
        self.assertNotIn("billing_stage_id", arch)
        with self.assertRaises(AccessError):
            self.env["billing.followup.partner.settings"].with_user(
                self.employee
            ).create({"partner_id": self.customer.id})

    def test_followup_user_sets_the_followup_without_contact_rights(self):
        customer = self.customer.with_user(self.clerk)
        with self.assertRaises(AccessError):
            customer.write({"billing_excluded": True})  # no right on contacts
        arch = customer.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("Follow-up Settings", arch)
        self.customer.billing_personal_note = "Thanks for ten years"
        saturday = self.env["billing.followup.weekday"].search([("number", "=", 5)])
        wizard = Form(
            self.env["billing.followup.partner.settings"]
            .with_user(self.clerk)
            .with_context(default_partner_id=self.contact.id)
        )
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.personal_note, "Thanks for ten years")
        wizard.excluded = True
        wizard.invoice_contact_id = self.contact
        wizard.min_interval_days = 9
        wizard.no_send_weekday_ids.add(saturday)
        wizard.save().action_apply()
        self.assertTrue(self.customer.billing_excluded)
        self.assertEqual(self.customer.billing_invoice_contact_id, self.contact)
        self.assertEqual(self.customer.billing_min_interval_days, 9)
        self.assertEqual(self.customer.billing_no_send_weekday_ids, saturday)
        self.assertEqual(self.customer.billing_personal_note, "Thanks for ten years")
        Wizard = self.env["billing.followup.partner.settings"]
        self.assertNotIn("stage_id", Wizard._fields, "managers only")
        # another company's settings stay untouched
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.assertFalse(self.customer.with_company(other).billing_excluded)

    def test_settings_wizard_checks_the_contact(self):
        wizard = (
            self.env["billing.followup.partner.settings"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_id": self.customer.id,
                    "invoice_contact_id": self.stranger.id,
                    "no_send_weekday_ids": [Command.clear()],
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "Bob Tulip cannot be"):
            wizard.action_apply()
