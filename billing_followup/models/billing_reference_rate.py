from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BillingReferenceRate(models.Model):
    """A central bank's reference rate from a date on (ECB main refinancing
    rate, Bank of England base rate): statutory interest adds points to it,
    piece by piece when it changes during a late period."""

    _name = "billing.reference.rate"
    _description = "Reference Interest Rate"
    _order = "currency_id, date_from desc"
    _check_company_auto = True

    currency_id = fields.Many2one("res.currency", required=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: the rate applies to every company."
    )
    date_from = fields.Date("Valid From", required=True)
    rate = fields.Float("Rate (%)", digits=(16, 4), required=True)

    _date_unique = models.UniqueIndex(
        "(currency_id, COALESCE(company_id, 0), date_from)",
        "A currency has one reference rate per date.",
    )

    @api.constrains("rate")
    def _check_rate(self):
        for rate in self:
            if rate.rate < 0:
                raise ValidationError(
                    self.env._(
                        "The reference rate of %(currency)s from %(date)s cannot "
                        "be negative.",
                        currency=rate.currency_id.name,
                        date=rate.date_from,
                    )
                )
