{
    "name": "Billing Follow-up",
    "summary": "Contract terms, polite reminders, early-payment incentives "
    "and escalation stages to get paid on time without losing the client",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "billing_followup developers",
    "depends": ["account", "mail", "portal", "payment", "account_payment"],
    "data": [
        "security/billing_followup_groups.xml",
        "security/ir.model.access.csv",
        "security/billing_followup_security.xml",
        "data/ir_cron_data.xml",
        "report/billing_followup_templates.xml",
        "report/billing_followup_reports.xml",
        "data/mail_template_data.xml",
        "data/billing_followup_data.xml",
        "views/billing_followup_sequence_views.xml",
        "views/billing_followup_event_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "wizards/billing_followup_run_preview_views.xml",
        "views/billing_followup_menus.xml",
    ],
    "demo": [
        "demo/billing_followup_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "billing_followup/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
