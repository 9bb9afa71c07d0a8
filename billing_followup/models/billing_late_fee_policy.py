from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import late_fee


class BillingLateFeePolicy(models.Model):
    """The late fee a contract announced: what, from when, how much at most.
    The amounts are computed by the plain `tools.late_fee`; the fee pass
    (billing_late_fee_policy_pass.py) charges them."""

    _name = "billing.late.fee.policy"
    _description = "Late Fee Policy"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the fixed amounts and caps; converted to each "
        "invoice's currency on the day of the fee.",
    )
    kind = fields.Selection(
        [
            (late_fee.FIXED, "Fixed Amount per Invoice"),
            (late_fee.PERCENT, "Percentage of the Amount Overdue"),
            (late_fee.INTEREST, "Interest for the Days Late"),
        ],
        required=True,
        default=late_fee.FIXED,
    )
    fixed_amount = fields.Monetary(
        help="Per overdue invoice; with interest, a compensation added to the "
        "first fee of each invoice."
    )
    uk_bands = fields.Boolean(
        "Fixed Amount by Invoice Size",
        help="UK late-payment rules: 40 below 1,000, 70 below 10,000, else 100.",
    )
    percent = fields.Float("Percentage", digits=(16, 4))
    annual_rate = fields.Float(
        "Annual Rate (%)",
        digits=(16, 4),
        help="Simple interest a year, on 365 days; added to the reference rate "
        "when the policy uses it.",
    )
    use_reference_rate = fields.Boolean(
        help="Add the reference rate in force each day (Reference Rates)."
    )
    grace_days = fields.Integer(help="Invoices paid within these days owe nothing.")
    min_overdue_amount = fields.Monetary(
        "Minimum Amount Overdue", help="Invoices owing less are not charged."
    )
    max_fee_amount = fields.Monetary("Cap", help="Most a fee charges per invoice.")
    max_fee_percent = fields.Float(
        "Cap (% of Invoice)", help="Most a fee charges, as a share of the invoice."
    )
    recurrence = fields.Selection(
        [(late_fee.ONCE, "Once"), (late_fee.MONTHLY, "Every Month")],
        required=True,
        default=late_fee.ONCE,
    )
    notice_days = fields.Integer(
        help="Least days between the message announcing the fee and the fee."
    )
    after_broken_plan = fields.Boolean(
        "Charge After a Broken Plan",
        default=True,
        help="When a payment plan over an invoice breaks, its fees are charged "
        "again from the break on, counting from the original due date (interest "
        "only for the days since the break). Otherwise an invoice once in a "
        "broken plan is never charged a fee.",
    )
    waive_when_paid = fields.Boolean(
        "Waive When Paid",
        help="When the late invoice is paid, its unpaid fees are waived; "
        "otherwise they are kept.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        help="What the fee invoice bills: its taxes follow the fiscal position.",
    )
    account_id = fields.Many2one(
        "account.account",
        "Income Account",
        check_company=True,
        help="Empty: the product's.",
    )
    analytic_distribution = fields.Json()
    analytic_precision = fields.Integer(
        store=False,
        default=lambda self: self.env["decimal.precision"].precision_get(
            "Percentage Analytic"
        ),
    )

    @api.constrains(
        "kind",
        "fixed_amount",
        "percent",
        "annual_rate",
        "max_fee_amount",
        "max_fee_percent",
        "grace_days",
        "notice_days",
        "min_overdue_amount",
        "recurrence",
    )
    def _check_amounts(self):
        for policy in self:
            numbers = (
                policy.fixed_amount,
                policy.percent,
                policy.annual_rate,
                policy.max_fee_amount,
                policy.max_fee_percent,
                policy.grace_days,
                policy.notice_days,
                policy.min_overdue_amount,
            )
            if any(number < 0 for number in numbers):
                raise ValidationError(
                    self.env._(
                        "The late fee policy %(name)s has a negative amount, rate "
                        "or number of days: use zero or more.",
                        name=policy.name,
                    )
                )
            policy._check_consistency()

    def _check_consistency(self):
        if self.max_fee_amount and self.fixed_amount > self.max_fee_amount:
            raise ValidationError(
                self.env._(
                    "The cap of %(name)s is below its fixed fee: raise the cap or "
                    "lower the fee.",
                    name=self.name,
                )
            )
        if self.recurrence == late_fee.MONTHLY and self.kind != late_fee.INTEREST:
            raise ValidationError(
                self.env._(
                    "%(name)s charges every month: only interest may, a fixed or "
                    "percentage fee is charged once.",
                    name=self.name,
                )
            )

    # PRESETS

    def action_preset_eu(self):
        """EU Directive 2011/7/EU (business clients): reference rate plus 8
        points, and 40 EUR compensation per invoice."""
        self._preset("base.EUR", fixed_amount=40.0, uk_bands=False)

    def action_preset_uk(self):
        """UK Late Payment of Commercial Debts: base rate plus 8 points, and
        40 / 70 / 100 GBP by invoice size."""
        self._preset("base.GBP", fixed_amount=0.0, uk_bands=True)

    def _preset(self, currency_xmlid, **values):
        self.write(
            {
                "kind": late_fee.INTEREST,
                "annual_rate": 8.0,
                "use_reference_rate": True,
                "percent": 0.0,
                "recurrence": late_fee.ONCE,
                "currency_id": self.env.ref(currency_xmlid).id,
                **values,
            }
        )

    # TERMS

    def _billing_terms(self, currency, on):
        """The policy's `late_fee.Terms` in `currency` on `on` (its fixed
        amounts and caps converted)."""
        self.ensure_one()

        def convert(amount):
            return self.currency_id._convert(
                amount, currency, self.company_id, on, round=False
            )

        return late_fee.Terms(
            kind=self.kind,
            fixed_amount=convert(self.fixed_amount),
            percent=self.percent,
            annual_rate=self.annual_rate,
            reference=self._billing_reference(currency),
            uk_bands=self.uk_bands,
            grace_days=self.grace_days,
            min_overdue_amount=convert(self.min_overdue_amount),
            max_fee_amount=convert(self.max_fee_amount),
            max_fee_percent=self.max_fee_percent,
            recurrence=self.recurrence,
            notice_days=self.notice_days,
            after_broken_plan=self.after_broken_plan,
        )

    def _billing_reference(self, currency):
        """((valid from, rate), ...) of the reference rate of `currency` for
        the policy's company, when the policy adds it."""
        if not (self.use_reference_rate and self.kind == late_fee.INTEREST):
            return ()
        rates = self.env["billing.reference.rate"].search_fetch(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", (self.company_id.id, False)),
            ],
            ["date_from", "rate"],
        )
        return tuple((rate.date_from, rate.rate) for rate in rates)
