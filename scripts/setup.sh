#!/usr/bin/env bash
# Prepare everything `make demo` and `make test` need, idempotently:
# Debian packages, PostgreSQL, Odoo 19 unpacked from Debian sid into .odoo/,
# the Python venv, and .odoo/odoo.conf. A second run only checks.
source "$(dirname "$0")/lib.sh"

APT_PACKAGES=(
  postgresql chromium wkhtmltopdf poppler-utils curl ca-certificates
  python3 python3-venv
  # what the symlinks of the odoo-19 package point to
  libjs-jquery libjs-underscore libjs-jquery-form fonts-font-awesome
  fonts-roboto-unhinted fonts-inconsolata fonts-ocr-b fonts-dejavu-core
)

system_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || fail "missing Debian packages: ${missing[*]}; run as root or
  install them with: apt-get install ${missing[*]}"
  say "Installing Debian packages: ${missing[*]}"
  apt-get update -q >"$LOG_DIR/apt-update.log" 2>&1 \
    || fail "apt-get update failed (is Debian's archive reachable?); see $LOG_DIR/apt-update.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >"$LOG_DIR/apt-install.log" 2>&1 \
    || fail "apt-get install failed; see $LOG_DIR/apt-install.log"
}

postgresql() {
  if ! pg_isready -q 2>/dev/null; then
    postgresql_cluster
    say "Starting PostgreSQL"
    service postgresql start >"$LOG_DIR/postgresql-start.log" 2>&1 || true
    local i
    for i in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || fail "PostgreSQL did not start; see $LOG_DIR/postgresql-start.log
  and /var/log/postgresql/"
  fi
  local role
  role=$(id -un)
  # Odoo refuses to run as `postgres`: connect as a superuser named like us.
  if ! runuser -u postgres -- psql -XtAc \
      "SELECT 1 FROM pg_roles WHERE rolname = '$role'" | grep -q 1; then
    say "Creating the PostgreSQL role $role"
    runuser -u postgres -- createuser --superuser "$role"
  fi
}

# Debian creates the cluster when it installs PostgreSQL, unless that failed
# (as in a root file system whose / is not readable by the postgres user).
postgresql_cluster() {
  [ -z "$(pg_lsclusters -h 2>/dev/null)" ] || return 0
  [ "$(id -u)" -eq 0 ] || fail "no PostgreSQL cluster; create one: pg_createcluster --start 15 main"
  if ! runuser -u postgres -- test -x /; then
    say "Making / traversable (mode 755): PostgreSQL runs as the postgres user"
    chmod 755 /
  fi
  say "Creating the PostgreSQL cluster"
  local version
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  LANG=C.UTF-8 pg_createcluster "$version" main >"$LOG_DIR/postgresql-cluster.log" 2>&1 \
    || fail "could not create a PostgreSQL cluster; see $LOG_DIR/postgresql-cluster.log"
  set_pgport
}

odoo_tree() {
  local stamp="$ODOO_TREE/.unpacked"
  local want="odoo-19=$ODOO_DEB_VERSION fonts-montserrat=$MONTSERRAT_DEB_VERSION"
  want+=" selfie_segmentation=$SELFIE_SEGMENTATION_VERSION"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return
  say "Fetching odoo-19 $ODOO_DEB_VERSION from Debian sid (own sources list)"
  local apt_dir="$ODOO_HOME/apt" debs="$ODOO_HOME/debs"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs"
  echo "deb http://deb.debian.org/debian sid main" >"$apt_dir/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "Dir::State::status=/dev/null" -o "Acquire::Check-Valid-Until=false"
    -o "APT::Sandbox::User=root"
  )
  apt-get "${opts[@]}" update -q >"$LOG_DIR/apt-sid.log" 2>&1 \
    || fail "could not read Debian sid's index; see $LOG_DIR/apt-sid.log"
  (cd "$debs" && apt-get "${opts[@]}" download "odoo-19=$ODOO_DEB_VERSION" \
    "fonts-montserrat=$MONTSERRAT_DEB_VERSION") >>"$LOG_DIR/apt-sid.log" 2>&1 \
    || fail "could not download odoo-19 $ODOO_DEB_VERSION (sid moves: update the pin
  in scripts/lib.sh); see $LOG_DIR/apt-sid.log"
  say "Unpacking Odoo into $ODOO_TREE"
  rm -rf "$ODOO_TREE" && mkdir -p "$ODOO_TREE"
  local deb
  for deb in "$debs"/odoo-19_*.deb "$debs"/fonts-montserrat_*.deb; do
    dpkg-deb -x "$deb" "$ODOO_TREE"
  done
  # The package's relative symlinks point into /usr/share of the system.
  ln -sfn /usr/share/javascript "$ODOO_TREE/usr/share/javascript"
  ln -sfn /usr/share/fonts-font-awesome "$ODOO_TREE/usr/share/fonts-font-awesome"
  mkdir -p "$ODOO_TREE/usr/share/fonts/opentype" "$ODOO_TREE/usr/share/fonts/truetype"
  ln -sfn /usr/share/fonts/opentype/ocr-b "$ODOO_TREE/usr/share/fonts/opentype/ocr-b"
  ln -sfn /usr/share/fonts/truetype/inconsolata "$ODOO_TREE/usr/share/fonts/truetype/inconsolata"
  ln -sfn /usr/share/fonts/truetype/roboto "$ODOO_TREE/usr/share/fonts/truetype/roboto"
  selfie_segmentation
  local dangling
  dangling=$(find "$ODOO_TREE" -xtype l | head -n 5)
  [ -z "$dangling" ] || fail "dangling symlinks in the Odoo tree:
$dangling"
  echo "$want" >"$stamp"
}

# Debian's repack drops this library, yet the mail asset bundle lists it.
selfie_segmentation() {
  local tgz="$ODOO_HOME/debs/selfie_segmentation-$SELFIE_SEGMENTATION_VERSION.tgz"
  local url="https://registry.npmjs.org/@mediapipe/selfie_segmentation/-/"
  if [ ! -s "$tgz" ]; then
    curl -fsS -m 120 -o "$tgz.part" "$url${tgz##*/}" \
      || fail "could not fetch @mediapipe/selfie_segmentation from the npm registry"
    mv "$tgz.part" "$tgz"
  fi
  local dest="$ODOO_ADDONS/mail/static/lib/selfie_segmentation"
  mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1 --wildcards 'package/selfie_*'
}

# Whether every pinned requirement is installed in .venv at its version.
requirements_met() {
  "$PY" - "$ROOT/requirements.txt" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version

missing = []
for line in open(sys.argv[1]):
    spec = line.split("#")[0].strip()
    if "==" in spec:
        name, wanted = spec.split("==")
        try:
            if version(name) != wanted:
                missing.append(f"{name} {version(name)} (wanted {wanted})")
        except PackageNotFoundError:
            missing.append(f"{name} (missing)")
if missing:
    print("Python packages to install: " + ", ".join(missing), file=sys.stderr)
sys.exit(1 if missing else 0)
PY
}

python_venv() {
  local stamp="$VENV/.requirements" want
  want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! requirements_met; then
    say "Installing Python dependencies into .venv (requirements.txt)"
    [ -x "$PY" ] || /usr/bin/python3 -m venv "$VENV" \
      || fail "could not create .venv (is python3-venv installed?)"
    "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt" >"$LOG_DIR/pip.log" 2>&1 \
      || fail "pip install failed (is PyPI reachable?); see $LOG_DIR/pip.log"
    echo "$want" >"$stamp"
  fi
  # Odoo itself is imported from the unpacked tree.
  local site
  site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$ODOO_PY" >"$site/odoo-19-debian.pth"
  "$PY" -c 'import odoo.release, psycopg2, lxml, werkzeug' 2>/dev/null \
    || fail "the venv cannot import Odoo or one of its dependencies; remove .venv and rerun"
}

odoo_config() {
  mkdir -p "$ODOO_HOME/data"
  cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_ADDONS
data_dir = $ODOO_HOME/data
admin_passwd = admin
http_interface = 127.0.0.1
http_port = 8069
list_db = True
max_cron_threads = 1
CONF
}

mkdir -p "$LOG_DIR"
system_packages
postgresql
odoo_tree
python_venv
odoo_config
say "Set-up ready: Odoo $("$PY" -c 'import odoo.release as r; print(r.version)') in .odoo/tree, venv in .venv"
