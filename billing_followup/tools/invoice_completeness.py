"""What an invoice must show before it reaches the client (who, what, how
much, when, how to pay). Facts in, missing item keys out: no ORM."""

# Item keys in the order the banner lists them; labels are translated by
# the caller (account.move._billing_completeness_labels).
ITEMS = (
    "company_name",
    "company_address",
    "company_email",
    "company_phone",
    "company_vat",
    "company_bank",
    "client_name",
    "client_address",
    "invoice_number",
    "due_date",
    "itemised_lines",
    "client_po",
)


def missing_items(facts):
    """Keys of ITEMS that `facts` (a dict of the same keys, True when the
    item is present) lacks; 'invoice_number' is only required once the
    invoice is posted and 'client_po' only when the contract asks for it."""
    required = set(ITEMS)
    if not facts.get("posted"):
        required.discard("invoice_number")
    if not facts.get("po_required"):
        required.discard("client_po")
    return [key for key in ITEMS if key in required and not facts.get(key)]
