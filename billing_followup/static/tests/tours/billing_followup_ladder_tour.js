import { registry } from "@web/core/registry";

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
