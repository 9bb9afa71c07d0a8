from datetime import date

from lxml import etree

from odoo import models

# Context key of a batch's compiled inline templates ({key: compiled}).
COMPILED = "billing_qweb_compiled"
# Context key of a batch's formatted widget values ({key: (attributes, content)}).
WIDGETS = "billing_qweb_widgets"
# Context keys of a batch's memos: what they hold is no compile option.
MEMOS = (COMPILED, WIDGETS, "billing_tables")
# Widgets whose output is a function of the value, the options and the
# context (language, user) only: a date or an amount in a currency.
PURE_WIDGETS = ("date", "monetary")


class IrQweb(models.AbstractModel):
    """Odoo caches the compiled code of QWeb views, not of inline templates
    (a mail template's body is parsed into a new element at every render,
    so compiled again for every record). Inside a rendering that carries a
    `COMPILED` dict in its context (the engine's batch of reminders), the
    code compiled for a body is reused for the same source and compile
    options: the same code, compiled once per batch instead of per
    customer. Likewise a `WIDGETS` dict keeps each date and amount
    formatted once per batch (the same due dates and amounts recur in every
    table). Nothing changes without the keys."""

    _inherit = "ir.qweb"

    def _compile(self, template):
        compiled = self.env.context.get(COMPILED)
        if compiled is None or (
            isinstance(template, str) and template.endswith(".xml")
        ):
            return super()._compile(template)
        source = template
        if isinstance(template, etree._Element):
            source = etree.tostring(template)
        key = (source, self._billing_compile_options())
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]

    def _get_widget(self, value, expression, tagName, field_options, values):
        memo = self.env.context.get(WIDGETS)
        if (
            memo is None
            or field_options.get("widget") not in PURE_WIDGETS
            or type(value) not in (date, float, int)
        ):
            return super()._get_widget(
                value, expression, tagName, field_options, values
            )
        key = (
            type(value),
            value,
            expression,
            tagName,
            repr(sorted(field_options.items())),
            self.env.uid,
            self._billing_compile_options(),
        )
        if key not in memo:
            memo[key] = super()._get_widget(
                value, expression, tagName, field_options, values
            )
        attributes, content, force_display = memo[key]
        # the caller updates the attributes it gets: each gets its own
        return dict(attributes), content, force_display

    def _billing_compile_options(self):
        """What the compiled code may depend on besides the source: the
        context, but for the rendering's own bookkeeping (keys starting with
        '_') and the batch's memos; a key's presence counts, as for
        `raise_on_forbidden_code_for_model`. Worked out once per context of
        the batch (the memo keeps the context, so its id is not reused)."""
        context = self.env.context
        memo = context.get(COMPILED, context.get(WIDGETS))
        key = ("options", id(context))
        if memo is not None and (hit := memo.get(key)) and hit[0] is context:
            return hit[1]
        options = tuple(
            sorted(
                (key, repr(value))
                for key, value in context.items()
                if key not in MEMOS and not key.startswith("_")
            )
        )
        if memo is not None:
            memo[key] = (context, options)
        return options
