"""What the database and the company checks refuse in the configuration and
the ledger, whatever the user interface lets through."""

from psycopg2.errors import UniqueViolation

from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

from .followup_common import FollowupEngineCommon, day


class TestFollowupIntegrity(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.sequence_b = cls.sequence.copy(
            {"name": "B ladder", "company_id": cls.company_b.id}
        )

    def test_database_refuses_two_steps_on_one_day(self):
        """Written past the ORM's check, the twin fails at commit time."""
        first, second = self.steps[1], self.steps[7]
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE billing_followup_step SET offset_days = %s WHERE id = %s",
                    first.offset_days,
                    second.id,
                )
            )
            self.env.cr.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def test_event_step_belongs_to_the_event_company(self):
        vals = {
            "partner_id": self.customer.id,
            "kind": "email",
            "date": day(0),
            "cycle_date": day(-2),
        }
        Event = self.env["billing.followup.event"].sudo()  # as the engine would
        with self.assertRaisesRegex(UserError, "company inconsistencies"):
            Event.create(
                vals
                | {
                    "company_id": self.company.id,
                    "step_id": self.sequence_b.step_ids[0].id,
                }
            )
        event = Event.create(
            vals | {"company_id": self.company.id, "step_id": self.steps[1].id}
        )
        self.assertEqual(event.step_id.company_id, self.company)

    def test_customer_sequence_belongs_to_the_company(self):
        customer = self.customer.with_company(self.company)
        with self.assertRaisesRegex(UserError, "company inconsistencies"):
            customer.billing_followup_sequence_id = self.sequence_b
        shared = self.sequence.copy({"name": "Shared", "company_id": False})
        customer.billing_followup_sequence_id = shared
        self.assertEqual(customer.billing_followup_sequence_id, shared)
