"""Mail composer actions shared by the contract and the invoice."""


def composer_action(record, template_xmlid):
    """The mail composer, prefilled with the pro-forma email template."""
    template = record.env.ref(template_xmlid)
    return {
        "type": "ir.actions.act_window",
        "res_model": "mail.compose.message",
        "view_mode": "form",
        "views": [(False, "form")],
        "target": "new",
        "context": {
            "default_model": record._name,
            "default_res_ids": record.ids,
            "default_template_id": template.id,
            "default_composition_mode": "comment",
            "default_email_layout_xmlid": "mail.mail_notification_light",
            "force_email": True,
        },
    }
