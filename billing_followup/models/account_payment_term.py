from odoo import api, models
from odoo.tools import format_amount

from ..tools import plain_terms


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    def _billing_instalments(self, lang):
        self.ensure_one()
        return [
            plain_terms.Instalment(
                percent=line.value_amount if line.value == "percent" else None,
                amount_text=format_amount(
                    self.env, line.value_amount, self.currency_id, lang_code=lang
                ),
                days=line.nb_days,
                delay_type=line.delay_type,
                day_of_month=int(line.days_next_month)
                if (line.days_next_month or "").isdigit()
                else 0,
            )
            for line in self.line_ids
        ]

    def _billing_describe(self, lang):
        """These terms in plain words, in `lang`: 'Payment within 30 days.'"""
        self.ensure_one()
        return plain_terms.describe_payment(
            self._billing_instalments(lang),
            lang=lang,
            decimal_point=self._billing_decimal_point(lang),
        )

    def _billing_incentive(self, lang, discount=None):
        """The early-payment discount as an incentive, in `lang` ('' without
        one); `discount` gives the amount and date of a given invoice."""
        self.ensure_one()
        if not self.early_discount:
            return ""
        discount = discount or plain_terms.EarlyDiscount(
            percent=self.discount_percentage, days=self.discount_days
        )
        return plain_terms.describe_discount(
            discount, lang, self._billing_decimal_point(lang)
        )

    def _billing_decimal_point(self, lang):
        return self.env["res.lang"]._get_data(code=lang).decimal_point or "."

    @api.model
    def _billing_describe_days(self, days, lang):
        """Plain words for a bare due date `days` after the invoice date."""
        return plain_terms.describe_payment(
            [plain_terms.Instalment(percent=100.0, days=max(days, 0))], lang=lang
        )
