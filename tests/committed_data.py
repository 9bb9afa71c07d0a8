"""Customers committed to the database, for the tests where several cursors
or processes must see them (row locks, killed connections); removed by SQL
at the test's cleanup, since no transaction can roll them back."""

from datetime import timedelta

from bench.bench_followup import sql_clone, sql_columns
from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import db_connect
from odoo.tools import SQL


def main_company_env(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    company = env.ref("base.main_company")
    return env(context={"allowed_company_ids": company.ids})


class CommittedCustomers:
    """`count` customers of the main company, one posted invoice each, due
    two days before a weekday (the default sequence's first reminder). The
    first is made by the ORM, the others are SQL copies of it, as in
    bench/bench_followup.py, so that thousands take seconds."""

    def __init__(self, dbname, count, name="Committed customer"):
        self.db = db_connect(dbname)
        self.count = count
        self.name = name
        self.partner_ids = []
        self.move_ids = []

    def create(self, test):
        test.addCleanup(self.remove)
        with self.db.cursor() as cr:
            env = main_company_env(cr)
            company = env.company
            self.today = env["billing.followup.engine"]._today()
            while self.today.weekday() > 4:  # the default sequence's weekdays
                self.today += timedelta(days=1)
            self.breaker_date = company.billing_breaker_confirmed_date
            company.billing_breaker_confirmed_date = self.today
            partner = env["res.partner"].create(
                {"name": self.name, "email": "ap@committed.example"}
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": self.today - timedelta(days=30),
                    "invoice_date_due": self.today - timedelta(days=2),
                    "invoice_line_ids": [
                        Command.create({"name": "Work", "price_unit": 90.0})
                    ],
                }
            )
            invoice.action_post()
            env.flush_all()
            self.partner_ids = [partner.id]
            self.move_ids = [invoice.id]
            if self.count > 1:
                self._copy(cr, partner.id, invoice.id, self.count - 1)
        return self

    def _copy(self, cr, partner_id, move_id, copies):
        self.partner_ids += sql_clone(cr, "res_partner", [partner_id] * copies)
        cr.execute(
            SQL(
                "UPDATE res_partner SET commercial_partner_id = id,"
                " complete_name = name || ' ' || id, name = name || ' ' || id"
                " WHERE id = ANY(%s) AND id != %s",
                self.partner_ids,
                partner_id,
            )
        )
        move_columns = sql_columns(
            cr, "account_move", {"id", "partner_id", "name", "commercial_partner_id"}
        )
        cr.execute(
            SQL(
                "INSERT INTO account_move (partner_id, commercial_partner_id, name, %s)"
                " SELECT p.id, p.id, t.name || '-' || p.id, %s"
                " FROM account_move t, res_partner p"
                " WHERE t.id = %s AND p.id = ANY(%s) AND p.id != %s"
                " ORDER BY p.id RETURNING id, partner_id",
                SQL(", ".join(move_columns)),
                SQL(", ".join(f"t.{c}" for c in move_columns)),
                move_id,
                self.partner_ids,
                partner_id,
            )
        )
        pairs = cr.fetchall()
        self.move_ids += [move for move, _partner in pairs]
        line_columns = sql_columns(
            cr, "account_move_line", {"id", "move_id", "partner_id"}
        )
        cr.execute(
            SQL(
                "INSERT INTO account_move_line (move_id, partner_id, %s)"
                " SELECT m.id, m.partner_id, %s"
                " FROM account_move m, account_move_line l"
                " WHERE m.id = ANY(%s) AND l.move_id = %s",
                SQL(", ".join(line_columns)),
                SQL(", ".join(f"l.{c}" for c in line_columns)),
                [move for move, _partner in pairs],
                move_id,
            )
        )

    def remove(self):
        with self.db.cursor() as cr:
            params = {"partners": self.partner_ids, "moves": self.move_ids}
            cr.execute(
                "DELETE FROM mail_mail WHERE mail_message_id IN (SELECT id FROM"
                " mail_message WHERE model = 'res.partner'"
                " AND res_id = ANY(%(partners)s))",
                params,
            )
            cr.execute(
                "DELETE FROM mail_message WHERE (model = 'res.partner' AND"
                " res_id = ANY(%(partners)s)) OR (model = 'account.move' AND"
                " res_id = ANY(%(moves)s))",
                params,
            )
            cr.execute(
                "DELETE FROM billing_followup_event"
                " WHERE partner_id = ANY(%(partners)s)",
                params,
            )
            cr.execute(
                "DELETE FROM account_move_line WHERE move_id = ANY(%(moves)s)", params
            )
            cr.execute("DELETE FROM account_move WHERE id = ANY(%(moves)s)", params)
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%(partners)s)", params)
            if hasattr(self, "breaker_date"):
                main_company_env(
                    cr
                ).company.billing_breaker_confirmed_date = self.breaker_date

    def emails_per_customer(self, cr):
        """{customer id: (email events, queued mails)} of the customers."""
        cr.execute(
            SQL(
                "SELECT p.id, COUNT(e.id), COUNT(e.mail_id)"
                " FROM res_partner p LEFT JOIN billing_followup_event e"
                " ON e.partner_id = p.id AND e.kind = 'email'"
                " WHERE p.id = ANY(%s) GROUP BY p.id",
                self.partner_ids,
            )
        )
        return {partner: (events, mails) for partner, events, mails in cr.fetchall()}
