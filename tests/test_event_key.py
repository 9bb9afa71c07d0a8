"""The events' natural key: written by the engine, enforced by the database,
given to the events recorded before it existed by the 19.0.1.1.0 migration."""

import importlib.util
from pathlib import Path

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.tools import SQL, mute_logger

import odoo.addons.billing_followup as addon

from .followup_common import FollowupEngineCommon, day

MIGRATION = Path(addon.__file__).parent / "migrations/19.0.1.1.0/post-migrate.py"


def load_migration():
    spec = importlib.util.spec_from_file_location("post_migrate", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestEventKey(FollowupEngineCommon):
    def _remind_then_thank(self):
        self._enable_thanks()
        invoice = self._invoice(self.customer, 100.0, day(-40), day(-16))
        self._run(day(0))
        self._pay(invoice, date=day(1))
        self._run(day(2))
        return self._events()

    def test_reminders_and_thanks_carry_their_key(self):
        events = self._remind_then_thank()
        step = self.steps[14]
        self.assertEqual(
            sorted(events.mapped("key")),
            [
                f"step:{step.id}:2026-02-14:activity",
                f"step:{step.id}:2026-02-14:email",
                "thanks:2026-02-14",
            ],
        )

    def test_one_thank_you_per_cycle_whatever_the_step(self):
        """The thank-you of a cycle is unique by the key alone: another step
        of the same cycle cannot bring a second one."""
        thanks = self._remind_then_thank().filtered(lambda e: e.kind == "thanks")
        vals = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "kind": "thanks",
            "key": thanks.key,
            "step_id": self.steps[21].id,
            "cycle_date": thanks.cycle_date,
            "move_ids": [Command.set(thanks.move_ids.ids)],
        }
        with (
            self.assertRaises(UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["billing.followup.event"].sudo().create(vals)
        manual = {"partner_id": self.customer.id, "company_id": self.company.id}
        self.env["billing.followup.event"].sudo().create(
            [manual | {"kind": "manual"}, manual | {"kind": "manual"}]
        )
        self.assertEqual(len(self._events(kind="manual")), 2, "no key, no limit")

    def test_migration_keys_the_old_events_and_drops_the_old_index(self):
        events = self._remind_then_thank()
        keys = {event: event.key for event in events}
        cr = self.env.cr
        cr.execute(
            SQL(
                "UPDATE billing_followup_event SET key = NULL WHERE id IN %s",
                tuple(events.ids),
            )
        )
        cr.execute(
            "CREATE UNIQUE INDEX billing_followup_event__step_cycle_unique"
            " ON billing_followup_event (partner_id, company_id, step_id,"
            " cycle_date, kind) WHERE step_id IS NOT NULL"
        )
        events.invalidate_recordset(["key"])
        self.assertFalse(any(events.mapped("key")))
        load_migration().migrate(cr, "19.0.1.0.0")
        events.invalidate_recordset(["key"])
        self.assertEqual({event: event.key for event in events}, keys)
        cr.execute(
            "SELECT 1 FROM pg_indexes"
            " WHERE indexname = 'billing_followup_event__step_cycle_unique'"
        )
        self.assertFalse(cr.fetchall())
