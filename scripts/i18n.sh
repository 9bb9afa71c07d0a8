#!/usr/bin/env bash
# `make i18n`: refresh billing_followup/i18n/ from the code. Builds a
# throw-away database with the addon and the shipped languages, then exports
# the template (.pot) and each language's .po: existing translations are
# kept, new terms appear with an empty msgstr to translate.
source "$(dirname "$0")/lib.sh"
LANGS=(es id ko_KR bg)
db="billing_followup_i18n_$(basename "$ROOT" | tr -c 'a-z0-9\n' '_')"
bash "$ROOT/scripts/setup.sh" >/dev/null
set_pgport  # the cluster may be new
bash "$ROOT/scripts/prepare_db.sh" "$db" --without-demo
i18n() { "$PY" -m odoo --addons-path="$ADDONS_PATH" i18n "$1" -c "$ODOO_CONF" -d "$db" "${@:2}"; }
say "Loading the languages ${LANGS[*]}"
i18n loadlang -l "${LANGS[@]}" >>"$LOG_DIR/i18n.log" 2>&1 \
  || fail "could not load the languages; see $LOG_DIR/i18n.log"
say "Exporting billing_followup/i18n/billing_followup.pot and ${LANGS[*]}"
# Each file goes through a temporary copy: Odoo reads the existing .po for
# the code terms' translations while it writes, and would empty it first.
tmp=$(mktemp -d)
i18n export billing_followup -l pot -o "$tmp/billing_followup.pot" >>"$LOG_DIR/i18n.log" 2>&1 \
  || fail "the export failed; see $LOG_DIR/i18n.log"
for lang in "${LANGS[@]}"; do
  file="${lang%%_*}.po"  # Korean is ko_KR in Odoo, ko.po as in Odoo's addons
  i18n export billing_followup -l "$lang" -o "$tmp/$file" >>"$LOG_DIR/i18n.log" 2>&1 \
    || fail "the $lang export failed; see $LOG_DIR/i18n.log"
done
mv "$tmp"/* "$ROOT/billing_followup/i18n/"
rmdir "$tmp"
db_drop "$db"
git -C "$ROOT" status --short billing_followup/i18n
