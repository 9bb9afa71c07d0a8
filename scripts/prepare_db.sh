#!/usr/bin/env bash
# Make database $1: a copy of a template with Odoo's modules (built once and
# kept), then billing_followup installed into the copy. The install log must
# have no WARNING or ERROR line. With --without-demo, neither the template
# nor the addon has demo data (a production-like database).
source "$(dirname "$0")/lib.sh"
target=$1
demo=--with-demo
[ "${2:-}" != "--without-demo" ] || demo=""

key=$(printf '%s %s %s %s' "$ODOO_DEB_VERSION" "$BASE_MODULES" "$demo" \
  "$(sha256sum "$ROOT/requirements.txt")" | sha256sum | cut -c1-10)
template="billing_followup_tpl_$key"
exec 9>"$ODOO_HOME/template.lock"
flock 9  # one build at a time; the others wait and reuse it
if ! db_exists "$template"; then
  say "Building the template database $template (Odoo's modules ${demo:+with demo data}; once)"
  db_drop "$template.part"
  odoo -d "$template.part" -i "$BASE_MODULES" $demo --stop-after-init \
    --log-level=warn >"$LOG_DIR/$template.log" 2>&1 \
    || fail "could not build the template database; see $LOG_DIR/$template.log"
  psql -Xq -c "ALTER DATABASE \"$template.part\" RENAME TO \"$template\"" postgres
  [ ! -d "$ODOO_HOME/data/filestore/$template.part" ] \
    || mv "$ODOO_HOME/data/filestore/$template.part" "$ODOO_HOME/data/filestore/$template"
fi
say "Copying $template to $target"
db_copy "$template" "$target"
flock -u 9
say "Installing billing_followup into $target"
log="$LOG_DIR/install-$target.log"
odoo -d "$target" -i billing_followup --stop-after-init --log-level=warn >"$log" 2>&1 \
  || fail "installing billing_followup failed; see $log"
if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL)" "$log"; then
  fail "installing billing_followup logged the lines above; see $log"
fi
