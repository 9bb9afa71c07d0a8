from lxml import etree

from odoo import models

# Context key of a batch's compiled inline templates ({key: compiled}).
COMPILED = "billing_qweb_compiled"
# Context keys of a batch's memos: what they hold is no compile option.
MEMOS = (COMPILED, "billing_tables")


class IrQweb(models.AbstractModel):
    """Odoo caches the compiled code of QWeb views, not of inline templates
    (a mail template's body is parsed into a new element at every render,
    so compiled again for every record). Inside a rendering that carries a
    `COMPILED` dict in its context (the engine's batch of reminders), the
    code compiled for a body is reused for the same source and compile
    options: the same code, compiled once per batch instead of per
    customer. Nothing changes without the key."""

    _inherit = "ir.qweb"

    def _compile(self, template):
        compiled = self.env.context.get(COMPILED)
        if compiled is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (etree.tostring(template), self._billing_compile_options())
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]

    def _billing_compile_options(self):
        """What the compiled code may depend on besides the source: the
        context, but for the rendering's own bookkeeping (keys starting with
        '_') and the batch's memos; a key's presence counts, as for
        `raise_on_forbidden_code_for_model`."""
        return tuple(
            sorted(
                (key, repr(value))
                for key, value in self.env.context.items()
                if key not in MEMOS and not key.startswith("_")
            )
        )
