"""The 19.0.1.2.0 post-migration: the shipped email templates take the new
subject and body where the database still holds a shipped text, and keep
every text an accountant edited (English or a translation)."""

import importlib.util
import json
from pathlib import Path

from odoo.tests import TransactionCase
from odoo.tools import SQL

import odoo.addons.billing_followup as addon

MIGRATION = Path(addon.__file__).parent / "migrations/19.0.1.2.0/post-migrate.py"
OLD_SUBJECT = "{{ object.company_id.name }}: second reminder, payment overdue"
NEW_SUBJECT = "{{ object.company_id.name }}: reminder, payment overdue"


def load_migration():
    spec = importlib.util.spec_from_file_location("post_migrate", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestTemplateRefresh(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        ref = cls.env.ref
        cls.firmer = ref("billing_followup.mail_template_firmer")
        cls.reminder = ref("billing_followup.mail_template_reminder")
        cls.shipped_body = cls._stored(cls.reminder, "body_html")["en_US"]

    @classmethod
    def _stored(cls, template, field):
        cls.env.flush_all()
        [[value]] = cls.env.execute_query(
            SQL(
                "SELECT %s FROM mail_template WHERE id = %s",
                SQL.identifier(field),
                template.id,
            )
        )
        return value

    def _store(self, template, field, value):
        """The field as an older version (or an accountant) left it."""
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "UPDATE mail_template SET %s = %s WHERE id = %s",
                SQL.identifier(field),
                json.dumps(value),
                template.id,
            )
        )
        self.env.invalidate_all()

    def _migrate(self):
        load_migration().migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()

    def test_shipped_subject_takes_the_new_text_and_its_translation(self):
        self._store(
            self.firmer, "subject", {"en_US": OLD_SUBJECT, "es_ES": OLD_SUBJECT}
        )
        self._migrate()
        self.assertEqual(
            self._stored(self.firmer, "subject"),
            {
                "en_US": NEW_SUBJECT,
                "es_ES": "{{ object.company_id.name }}: recordatorio, pago vencido",
            },
        )

    def test_edited_translation_is_kept(self):
        self._store(
            self.firmer,
            "subject",
            {"en_US": OLD_SUBJECT, "es_ES": "{{ object.company_id.name }}: ¡pague!"},
        )
        self._migrate()
        self.assertEqual(
            self._stored(self.firmer, "subject"),
            {"en_US": NEW_SUBJECT, "es_ES": "{{ object.company_id.name }}: ¡pague!"},
        )

    def test_edited_english_text_is_never_overwritten(self):
        edited = {"en_US": "<p>Our own words, agreed with the director.</p>"}
        self._store(self.reminder, "body_html", edited)
        self._store(self.firmer, "subject", {"en_US": "Overdue: please call us"})
        self._migrate()
        self.assertEqual(self._stored(self.reminder, "body_html"), edited)
        self.assertEqual(
            self._stored(self.firmer, "subject"), {"en_US": "Overdue: please call us"}
        )

    def test_shipped_body_is_left_as_shipped_with_its_other_fields(self):
        self.reminder.write({"email_cc": "books@company.example"})
        self._migrate()
        self.assertEqual(
            self._stored(self.reminder, "body_html")["en_US"], self.shipped_body
        )
        self.assertEqual(self.reminder.email_cc, "books@company.example")
