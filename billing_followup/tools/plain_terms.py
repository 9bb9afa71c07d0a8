"""Payment terms in plain words ("within 30 days"), for invoices, reminders
and pro-formas. Plain data in, translated text out: no ORM, testable as is.

The strings are translated through the addon's i18n/*.po (code translations),
so a caller only passes the language code of the reader.
"""

from dataclasses import dataclass

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate("billing_followup")

# Odoo's account.payment.term.line.delay_type values.
DAYS_AFTER = "days_after"
AFTER_END_OF_MONTH = "days_after_end_of_month"
AFTER_END_OF_NEXT_MONTH = "days_after_end_of_next_month"
END_OF_MONTH_ON_THE = "days_end_of_month_on_the"

_COUNT_WORDS = {
    2: _lt("two"),
    3: _lt("three"),
    4: _lt("four"),
}


@dataclass(frozen=True)
class Instalment:
    """One line of a payment term: how much (percent or a formatted fixed
    amount) and when."""

    percent: float | None = None
    amount_text: str = ""
    days: int = 0
    delay_type: str = DAYS_AFTER
    day_of_month: int = 0


@dataclass(frozen=True)
class EarlyDiscount:
    """Odoo's early-payment discount; amount/date texts are optional."""

    percent: float
    days: int
    amount_text: str = ""
    date_text: str = ""


def _tr(lang, lazy):
    """`lazy` (an _lt term, so that `make i18n` extracts it) in `lang`."""
    return lazy._translate(lang or "en_US")


def format_percent(value, decimal_point="."):
    """50.0 -> '50', 2.5 -> '2.5' (or '2,5' with a comma decimal point)."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", decimal_point)


def _when(instalment, lang):
    """When one instalment is due, e.g. 'within 30 days'."""
    days = instalment.days
    kind = instalment.delay_type
    if kind == AFTER_END_OF_MONTH:
        if not days:
            return _tr(lang, _lt("at the end of the month"))
        return _tr(
            lang, _lt("within %(days)s days after the end of the month", days=days)
        )
    if kind == AFTER_END_OF_NEXT_MONTH:
        if not days:
            return _tr(lang, _lt("at the end of the following month"))
        return _tr(
            lang,
            _lt("within %(days)s days after the end of the following month", days=days),
        )
    if kind == END_OF_MONTH_ON_THE:
        day = instalment.day_of_month
        if not day:
            return _tr(lang, _lt("at the end of the month"))
        return _tr(lang, _lt("on day %(day)s of the following month", day=day))
    if not days:
        return _tr(lang, _lt("on receipt"))
    if days == 1:
        return _tr(lang, _lt("within 1 day"))
    return _tr(lang, _lt("within %(days)s days", days=days))


def _share(instalment, decimal_point):
    if instalment.percent is None:
        return instalment.amount_text
    return f"{format_percent(instalment.percent, decimal_point)} %"


def describe_terms(instalments, lang="en_US", decimal_point="."):
    """The payment terms as a phrase: 'due on receipt', 'within 30 days',
    'in two instalments: 50 % within 15 days, the rest within 45 days'."""
    instalments = list(instalments)
    if not instalments:
        return _tr(lang, _lt("due on receipt"))
    if len(instalments) == 1:
        only = instalments[0]
        if only.delay_type == DAYS_AFTER and not only.days:
            return _tr(lang, _lt("due on receipt"))
        return _when(only, lang)
    parts = [
        _tr(
            lang,
            _lt(
                "%(share)s %(when)s",
                share=_share(instalment, decimal_point),
                when=_when(instalment, lang),
            ),
        )
        for instalment in instalments[:-1]
    ]
    parts.append(_tr(lang, _lt("the rest %(when)s", when=_when(instalments[-1], lang))))
    count = len(instalments)
    count_text = _COUNT_WORDS.get(count)
    return _tr(
        lang,
        _lt(
            "in %(count)s instalments: %(parts)s",
            count=count_text._translate(lang) if count_text else count,
            parts=", ".join(parts),
        ),
    )


def describe_discount(discount, lang="en_US", decimal_point="."):
    """The early-payment incentive as a sentence, or '' without one."""
    if not discount or not discount.percent:
        return ""
    percent = format_percent(discount.percent, decimal_point)
    if discount.amount_text and discount.date_text:
        return _tr(
            lang,
            _lt(
                "Pay %(amount)s by %(date)s and save %(percent)s %%.",
                amount=discount.amount_text,
                date=discount.date_text,
                percent=percent,
            ),
        )
    return _tr(
        lang,
        _lt(
            "Pay within %(days)s days and save %(percent)s %%.",
            days=discount.days,
            percent=percent,
        ),
    )


def describe_payment(instalments, discount=None, lang="en_US", decimal_point="."):
    """Full sentence(s) for a document: 'Payment within 30 days. Pay within
    10 days and save 2 %.'"""
    sentence = _tr(
        lang,
        _lt(
            "Payment %(terms)s.", terms=describe_terms(instalments, lang, decimal_point)
        ),
    )
    incentive = describe_discount(discount, lang, decimal_point)
    return f"{sentence} {incentive}" if incentive else sentence
