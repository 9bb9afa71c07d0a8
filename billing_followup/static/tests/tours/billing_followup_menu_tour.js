import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("billing_followup_menu_tour", {
    url: "/odoo/action-account.action_move_out_invoice",
    steps: () => [
        {
            content: "Open the Follow-up menu of Invoicing",
            trigger: ".o_menu_sections [data-menu-xmlid='billing_followup.billing_followup_menu_root']",
            run: "click",
        },
        {
            content: "Open the overdue invoices",
            trigger: "[data-menu-xmlid='billing_followup.billing_followup_overdue_invoice_menu']",
            run: "click",
        },
        {
            content: "The overdue invoices are listed, grouped by customer",
            trigger: ".o_breadcrumb:contains('Overdue Invoices')",
        },
        {
            trigger: ".o_list_view .o_group_name",
        },
        {
            content: "Open the Follow-up menu again",
            trigger: ".o_menu_sections [data-menu-xmlid='billing_followup.billing_followup_menu_root']",
            run: "click",
        },
        {
            content: "Open the customers to follow up",
            trigger: "[data-menu-xmlid='billing_followup.billing_followup_customers_menu']",
            run: "click",
        },
        {
            content: "Refresh the list: the scheduled run has not run yet",
            trigger: ".o_list_view button:contains('Refresh')",
            run: "click",
        },
        {
            content: "The customer with the overdue invoice is listed",
            trigger: ".o_data_row .o_data_cell:contains('Orchid Florists')",
            run: "click",
        },
        {
            content: "Its row opens the customer",
            trigger: ".o_form_view .o_breadcrumb:contains('Orchid Florists')",
        },
    ],
});
