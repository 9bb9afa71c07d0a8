from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class BillingFollowupMineMixin(models.AbstractModel):
    """`billing_mine`: the record's customer is followed up by the current
    user in the record's company (its own responsible there, else the
    company's), so a list, a filter and a dashboard count say "my
    customers" the same way in every company at once."""

    _name = "billing.followup.mine.mixin"
    _description = "Follow-up: My Customers"
    # the commercial partner column of the inheriting model
    _billing_mine_partner = "partner_id"

    billing_mine = fields.Boolean(
        "My Customers",
        compute="_compute_billing_mine",
        search="_search_billing_mine",
        help="The customer's follow-up responsible in this company is you "
        "(its own, else the company's).",
    )

    @api.depends_context("uid")
    def _compute_billing_mine(self):
        for record in self:
            partner = record[self._billing_mine_partner]
            company = record.company_id
            # sudo: the responsible is a follow-up setting the record only names
            own = partner.sudo().with_company(company).billing_responsible_id
            responsible = own or company.sudo().billing_responsible_id
            record.billing_mine = responsible == self.env.user

    def _search_billing_mine(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        mine = Domain.custom(to_sql=self._billing_mine_sql)
        return mine if (True in value) == (operator == "in") else ~mine

    @api.model
    def _billing_mine_sql(self, model, alias, query):
        """The responsible of the row's customer in the row's company: the
        customer's company-dependent value, else the company's."""
        return SQL(
            """EXISTS (
                SELECT 1 FROM res_partner mine_p
                  JOIN res_company mine_c ON mine_c.id = %(company)s
                 WHERE mine_p.id = %(partner)s
                   AND COALESCE(
                         (mine_p.billing_responsible_id ->> mine_c.id::text)::int,
                         mine_c.billing_responsible_id) = %(uid)s)""",
            company=SQL.identifier(alias, "company_id"),
            partner=SQL.identifier(alias, model._billing_mine_partner),
            uid=self.env.uid,
        )
