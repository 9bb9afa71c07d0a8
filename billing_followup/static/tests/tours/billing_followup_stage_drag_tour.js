import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("billing_followup_stage_drag_tour", {
    url: "/odoo/billing-customers-by-stage",
    steps: () => [
        {
            content: "Drag the customer from Credit hold to Final notice",
            trigger: ".o_kanban_group:contains('Credit hold') .o_kanban_record:contains('Drag Tour Ltd')",
            run: "drag_and_drop(.o_kanban_group:has(.o_column_title:contains('Final notice')))",
        },
        {
            content: "A reason is asked for; first close without one",
            trigger: ".modal:contains('needs a reason') .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Without a reason the customer stays where it was",
            trigger: ".o_kanban_group:contains('Credit hold') .o_kanban_record:contains('Drag Tour Ltd')",
        },
        {
            content: "Drag it again",
            trigger: ".o_kanban_group:contains('Credit hold') .o_kanban_record:contains('Drag Tour Ltd')",
            run: "drag_and_drop(.o_kanban_group:has(.o_column_title:contains('Final notice')))",
        },
        {
            content: "Give the reason",
            trigger: ".modal:contains('needs a reason') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The Set Stage wizard comes with the target stage",
            trigger: ".modal .o_field_widget[name='stage_id'] input:value('Final notice')",
        },
        {
            trigger: ".modal .o_field_widget[name='reason'] input",
            run: "edit Paid half; the director asked for a week",
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The card is in Final notice",
            trigger: ".o_kanban_group:contains('Final notice') .o_kanban_record:contains('Drag Tour Ltd')",
        },
    ],
});
