# shellcheck shell=bash
# Sourced by the scripts: make sure the Debian packages Woow needs are installed.
# As root, missing packages are installed with apt-get; otherwise they are named and the script stops.

woow_require_packages() {
    local missing=()
    local package
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing missing Debian packages: ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    else
        echo "Missing Debian packages: ${missing[*]}" >&2
        echo "Install them with: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
}

# Packages every build needs (libpq and libcrypto headers, pkg-config) and the PostgreSQL server
# that the embedded default and the test harness run.
WOOW_BUILD_PACKAGES=(libpq-dev libssl-dev pkg-config postgresql)
# What the test suite adds: Python with venv, for the Odoo client libraries from PyPI; poppler's
# pdftotext and pdfinfo, which read the invoice PDFs back.
WOOW_TEST_PACKAGES=(python3 python3-venv poppler-utils)
