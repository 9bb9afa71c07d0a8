# Shared by the set-up, demo, test and bench scripts: paths, pins, messages.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_DEB_VERSION="19.0.0+dfsg-1"
MONTSERRAT_DEB_VERSION="9.000-6"
SELFIE_SEGMENTATION_VERSION="0.1.1675465747"
ODOO_HOME="$ROOT/.odoo"                                   # ignored by git
ODOO_TREE="$ODOO_HOME/tree"                               # the unpacked packages
ODOO_PY="$ODOO_TREE/usr/lib/python3/dist-packages"
ODOO_ADDONS="$ODOO_PY/odoo/addons"
ODOO_CONF="$ODOO_HOME/odoo.conf"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
LOG_DIR="$ODOO_HOME/logs"
# Modules the addon's databases are built on (the addon's own depends, and
# Odoo's demo payment provider that the client's page is paid with in the
# demo and the tests).
BASE_MODULES="account,mail,portal,payment,payment_demo"

# Odoo, psql and the tests reach PostgreSQL through libpq: point it at the
# local cluster's port when that is not the default.
set_pgport() {
  local port
  port=$(pg_lsclusters -h 2>/dev/null | awk '{print $3; exit}') || true
  [ -z "$port" ] || export PGPORT="$port"
}
[ -n "${PGPORT:-}" ] || set_pgport

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# The machine's Odoo set-up is in $ODOO_CONF; the addons path is this
# checkout's (so that git worktrees can share .odoo and .venv).
ADDONS_PATH="$ODOO_ADDONS,$ROOT"

# Run Odoo from the unpacked tree with the venv and the generated config.
odoo() { "$PY" -m odoo -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" "$@"; }

db_exists() { psql -XtAc "SELECT 1 FROM pg_database WHERE datname = '$1'" postgres | grep -q 1; }

# Copy database $1 (and its filestore) to $2, replacing $2.
db_copy() {
  dropdb --if-exists "$2"
  rm -rf "$ODOO_HOME/data/filestore/$2"
  createdb -T "$1" "$2"
  if [ -d "$ODOO_HOME/data/filestore/$1" ]; then
    mkdir -p "$ODOO_HOME/data/filestore"
    cp -a "$ODOO_HOME/data/filestore/$1" "$ODOO_HOME/data/filestore/$2"
  fi
}

db_drop() {
  dropdb --if-exists "$1"
  rm -rf "$ODOO_HOME/data/filestore/$1"
}
