from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import followup_kinds as kinds


class BillingFollowupWorklist(models.Model):
    """Calls due per customer *and company*: an activity has no company, so
    a call counts for the company of the follow-up event that planned it,
    else for the main company of the user it is assigned to."""

    _inherit = "billing.followup.worklist"

    call_due = fields.Boolean(
        "Call Due",
        compute="_compute_call_due",
        search="_search_call_due",
        help="A call activity for this customer and company is due today or "
        "late: the company of the follow-up step that planned it, else the "
        "company of the user it is assigned to.",
    )

    def _compute_call_due(self):
        due = self.search([("id", "in", self.ids), ("call_due", "=", True)])
        for row in self:
            row.call_due = row in due

    def _search_call_due(self, operator, value):
        if operator != "in":
            return NotImplemented
        if {True, False} <= set(value):
            return Domain.TRUE
        call = self.env.ref("mail.mail_activity_data_call").id
        today = fields.Date.context_today(self)

        def to_sql(model, alias, query):
            rows = SQL(
                """SELECT row.id
                     FROM billing_followup_worklist row
                     JOIN mail_activity act
                       ON act.res_model = %(partner_model)s
                      AND act.res_id = row.partner_id
                LEFT JOIN res_users usr ON usr.id = act.user_id
                    WHERE act.active
                      AND act.activity_type_id = %(call)s
                      AND act.date_deadline <= %(today)s
                      AND row.company_id = COALESCE(
                          (SELECT step.company_id
                             FROM billing_followup_event step
                            WHERE step.activity_id = act.id
                              AND step.kind = %(kind)s
                            ORDER BY step.id DESC
                            LIMIT 1),
                          usr.company_id)""",
                partner_model="res.partner",
                call=call,
                today=today,
                kind=kinds.ACTIVITY,
            )
            found = SQL("%s IN (%s)", SQL.identifier(alias, "id"), rows)
            return found if True in value else SQL("NOT (%s)", found)

        return Domain.custom(to_sql=to_sql)
