"""19.0.1.1.0: "Customers to follow up" moves to the worklist model.

The worklist's action takes the URL path the partner action of 19.0.1.0.0
held; free it before the data files load, or the update fails on the
path's unique constraint.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """UPDATE ir_act_window SET path = NULL
                WHERE id IN (SELECT res_id FROM ir_model_data
                              WHERE module = 'billing_followup'
                                AND name = 'res_partner_action_billing_followup'
                                AND model = 'ir.actions.act_window')"""
        )
    )
