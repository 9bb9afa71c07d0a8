import { registry } from "@web/core/registry";

const { DateTime } = luxon;

registry.category("web_tour.tours").add("billing_followup_ladder_tour", {
    url: "/odoo/action-account.action_move_out_invoice",
    steps: () => [
        {
            content: "Open the Follow-up menu of Invoicing",
            trigger: ".o_menu_sections [data-menu-xmlid='billing_followup.billing_followup_menu_root']",
            run: "click",
        },
        {
            content: "Open the customers by stage",
            trigger: "[data-menu-xmlid='billing_followup.billing_followup_stage_kanban_menu']",
            run: "click",
        },
        {
            content: "The kanban shows the ladder, the customer on credit hold",
            trigger: ".o_kanban_group:contains('Credit hold') .o_kanban_record:contains('Ladder Tour Ltd')",
            run: "click",
        },
        {
            content: "The customer's form says it is on credit hold",
            trigger: ".alert-danger:contains('On credit hold')",
        },
        {
            content: "Open its follow-up",
            trigger: ".o_notebook_headers a[name='billing_followup']",
            run: "click",
        },
        {
            content: "The client promises to pay",
            trigger: "button[name='action_billing_promise']",
            run: "click",
        },
        {
            content: "Its overdue invoice is proposed",
            trigger: ".modal .o_field_widget[name='move_ids'] .o_tag",
        },
        {
            content: "Promised for next week",
            trigger: ".modal .o_field_widget[name='date'] input",
            run: `edit ${DateTime.now().plus({ days: 7 }).toFormat("MM/dd/yyyy")}`,
        },
        {
            content: "What the client said",
            trigger: ".modal .o_field_widget[name='note'] input",
            run: "edit Pays after the board meeting",
        },
        {
            content: "Save the promise",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The promise shows on the customer",
            trigger: ".o_field_widget[name='billing_promise_ids'] .o_data_row:contains('900.00')",
        },
        {
            content: "Open the Follow-up menu again",
            trigger: ".o_menu_sections [data-menu-xmlid='billing_followup.billing_followup_menu_root']",
            run: "click",
        },
        {
            content: "Open the stages to approve",
            trigger: "[data-menu-xmlid='billing_followup.billing_followup_approval_menu']",
            run: "click",
        },
        {
            content: "Approve the hand-over to collections",
            trigger: ".o_data_row:contains('Ladder Tour Ltd') button[name='action_approve']",
            run: "click",
        },
        {
            content: "Nothing waits for approval any more",
            trigger: ".o_view_nocontent",
        },
        {
            content: "Back to the customers by stage",
            trigger: ".o_menu_sections [data-menu-xmlid='billing_followup.billing_followup_menu_root']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='billing_followup.billing_followup_stage_kanban_menu']",
            run: "click",
        },
        {
            content: "The customer is now in collections",
            trigger: ".o_kanban_group:contains('Collections / legal') .o_kanban_record:contains('Ladder Tour Ltd')",
        },
    ],
});
