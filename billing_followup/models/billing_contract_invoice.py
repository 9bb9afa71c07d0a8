from odoo import Command, models


class BillingContractInvoiceMixin(models.AbstractModel):
    """How a contract's invoices are built and reached: the hooks every
    feature that bills the contract calls (schedule, milestones, extra work,
    later fees and loyalty credits)."""

    _name = "billing.contract.invoice.mixin"
    _description = "Contract Invoices"

    def _prepare_invoice_line_values(self, name, price_unit, quantity=1.0):
        """Values of one line of an invoice of this contract; every feature
        that bills the contract builds its lines here."""
        self.ensure_one()
        values = {"name": name, "quantity": quantity, "price_unit": price_unit}
        if self.product_id:
            values["product_id"] = self.product_id.id
        return values

    def _prepare_invoice_values(self, lines_values, **values):
        """Values of a customer invoice of this contract (its contact,
        currency and terms); scheduled periods, milestones and extra work
        all build their invoices here. `values` are added as they are."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": (self.invoice_contact_id or self.partner_id).id,
            "billing_contract_id": self.id,
            "currency_id": self.currency_id.id,
            "invoice_payment_term_id": self.payment_term_id.id,
            "invoice_line_ids": [Command.create(line) for line in lines_values],
            **values,
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("billing_contract_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_partner_id": (self.invoice_contact_id or self.partner_id).id,
            "default_billing_contract_id": self.id,
        }
        return action

    def action_view_scope_changes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "billing_followup.billing_scope_change_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action
