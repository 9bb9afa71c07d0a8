from dateutil.relativedelta import relativedelta

from odoo import models
from odoo.tools import format_date

from ..tools import billing_schedule

# How many upcoming periods a contract's pro-forma lists.
PROFORMA_PERIODS = 3


class BillingContractProformaMixin(models.AbstractModel):
    """Pro-forma estimate of a contract: what will be billed and on which
    terms, before the first invoice (kept apart from the schedule logic)."""

    _name = "billing.contract.proforma.mixin"
    _description = "Contract Pro-forma"
    _inherit = ["billing.proforma.mixin"]

    def _billing_proforma_values(self, lang):
        """What the pro-forma shows, in `lang`."""
        self.ensure_one()
        env = self.with_context(lang=lang).env
        lines = self._billing_proforma_lines(env)
        term = self.payment_term_id
        return {
            "reference": self.name,
            "partner": self.invoice_contact_id or self.partner_id,
            "currency": self.currency_id,
            "lines": lines,
            "total": sum(line["amount"] for line in lines),
            "terms": term._billing_describe(lang) if term else "",
            "incentive": term._billing_incentive(lang) if term else "",
            "payment_methods": self.payment_method_ids.with_env(env).mapped("name"),
            "note": self.personal_note or self.partner_id.billing_personal_note,
            "scope_included": self.scope_included,
            "scope_excluded": self.scope_excluded,
        }

    def action_print_proforma(self):
        return self.env.ref(
            "billing_followup.action_report_contract_proforma"
        ).report_action(self)

    def action_send_proforma(self):
        self.ensure_one()
        return self._billing_proforma_composer(
            "billing_followup.mail_template_contract_proforma"
        )

    def _billing_proforma_lines(self, env):
        lines = []
        if self.is_scheduled:
            lines += self._billing_proforma_period_lines(env)
        elif self.billing_method == "milestone":
            lines += [
                _line(d.name, 1, d.amount)
                for d in self.deliverable_ids.filtered(lambda d: not d.move_id)
            ]
        elif self.billing_method == "hourly":
            lines.append(
                _line(
                    env._("%(what)s, per hour", what=self.invoice_label or self.name),
                    1,
                    self.hourly_rate,
                )
            )
        lines += [
            _line(change.name, 1, change.amount, extra=True)
            for change in self.scope_change_ids._to_invoice()
        ]
        return lines

    def _billing_proforma_period_lines(self, env):
        """The next unbilled periods, as the schedule will invoice them."""
        if self.billing_schedule not in billing_schedule.PERIODIC:
            return []
        far = self._next_period_start() + relativedelta(years=2)
        periods = self._periods(far)[:PROFORMA_PERIODS]
        return [
            _line(
                env._(
                    "%(what)s, period from %(start)s to %(end)s (billed on %(day)s)",
                    what=self.invoice_label or self.name,
                    start=format_date(env, period.start),
                    end=format_date(env, period.end),
                    day=format_date(env, period.billing_date),
                ),
                1,
                self.amount,
            )
            for period in periods
        ]


def _line(name, quantity, price_unit, extra=False):
    return {
        "name": name,
        "quantity": quantity,
        "price_unit": price_unit,
        "amount": quantity * price_unit,
        "extra": extra,
    }
