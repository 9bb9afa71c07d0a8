"""19.0.1.1.0: "Customers to follow up" moves to the worklist model, and
the pro-forma reports take the `action_report_*` ids.

The worklist's action takes the URL path the partner action of 19.0.1.0.0
held; free it before the data files load, or the update fails on the
path's unique constraint. The reports are renamed in place: the email
templates that attach them are `noupdate` and keep pointing at the same
records, which a new id would have deleted.
"""

from odoo.tools import SQL

RENAMED = {
    "billing_contract_proforma_report": "action_report_contract_proforma",
    "billing_invoice_proforma_report": "action_report_invoice_proforma",
}


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
    for old, new in RENAMED.items():
        cr.execute(
            SQL(
                """UPDATE ir_model_data SET name = %(new)s
                    WHERE module = 'billing_followup' AND name = %(old)s
                      AND NOT EXISTS (SELECT 1 FROM ir_model_data
                                       WHERE module = 'billing_followup'
                                         AND name = %(new)s)""",
                old=old,
                new=new,
            )
        )
