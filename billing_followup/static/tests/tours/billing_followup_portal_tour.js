import { registry } from "@web/core/registry";

// The client opens its page from a reminder's link: promises to pay,
// disputes another, then pays the first with the demo provider.
registry.category("web_tour.tours").add("billing_followup_portal_tour", {
    steps: () => [
        {
            content: "Open the promise form",
            trigger: "button[name='open_promise']",
            run: "click",
        },
        {
            content: "Leave the second invoice out of the promise",
            trigger: "form[name='promise'] .form-check:nth-child(2) input[name='move_ids']",
            run: "click",
        },
        {
            content: "Pay on the first day the page allows",
            trigger: "#promise_date",
            run() {
                this.anchor.value = this.anchor.min;
            },
        },
        {
            trigger: "#promise_amount",
            run: "edit 100",
        },
        {
            content: "Send the promise",
            trigger: "button[name='send_promise']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page thanks the client",
            trigger: "div[name='success']:contains('you will pay')",
        },
        {
            content: "Open the dispute form",
            trigger: "button[name='open_dispute']",
            run: "click",
        },
        {
            content: "Choose the second invoice",
            trigger: "#dispute_move",
            run() {
                this.anchor.selectedIndex = 1;
            },
        },
        {
            trigger: "#dispute_reason",
            run: "edit The flowers never arrived",
        },
        {
            content: "Send the dispute",
            trigger: "button[name='send_dispute']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The disputed invoice is under review",
            trigger: "div[name='success']:contains('we will look into')",
        },
        {
            trigger: ".o_billing_portal_items .badge:contains('Under review')",
        },
        {
            content: "Leave the disputed invoice out of the payment",
            trigger: "tr:has(.badge:contains('Under review')) input[name='move_ids']",
            run: "click",
        },
        {
            content: "Pay the promised invoice now",
            trigger: "button[name='pay_now']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's payment form for the chosen invoice",
            trigger: "ul[name='pay_moves']",
        },
        {
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the client's page once the payment is processed",
            trigger: ".o_billing_portal h2[name='balance']",
        },
    ],
});
