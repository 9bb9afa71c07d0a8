"""19.0.1.1.0: events carry one natural key instead of the step/cycle index.

The update already added the `key` column and its unique index and keyed the
old events (the model's `init`); this keys whatever is left and drops the
index the key replaces (its ir.model.constraint row goes at the end of the
update, as for any constraint a module no longer defines).
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

OLD_INDEX = "billing_followup_event__step_cycle_unique"


def migrate(cr, version):
    if not version:
        return
    api.Environment(cr, SUPERUSER_ID, {})["billing.followup.event"]._billing_fill_keys()
    cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(OLD_INDEX)))
