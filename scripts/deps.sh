#!/usr/bin/env bash
# Shared by scripts/run, scripts/test and scripts/bench: installs the Debian 12 packages
# MyoScreen needs. Idempotent and quiet when everything is already present.
set -euo pipefail

MYOSCREEN_PACKAGES=(
  build-essential cmake pkg-config
  nlohmann-json3-dev doctest-dev libcli11-dev
  libsqlite3-dev libssl-dev libzstd-dev
  libhpdf-dev fonts-dejavu-core python3-fonttools
  libharfbuzz-dev libfribidi-dev libutf8proc-dev fonts-droid-fallback fonts-nanum
  libwxgtk3.2-dev
  xvfb xauth imagemagick poppler-utils qpdf
  # Issue 14: the GUI-stall test types from another process (XTest), as a keyboard would.
  xdotool
  clang libclang-rt-14-dev
  postgresql-15 libpq-dev openssl
  # PDF/A-1b (issue 15): the sRGB profile built into the reports; PDFBox's preflight (Java 17
  # needs JAF and JAXB beside it) validates every report in test_pdfa.
  icc-profiles-free libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless
  # The Debian package (issue 17): icons rendered from the SVG, lintian, the desktop entry's and
  # AppStream's validators, man for the man pages' test.
  librsvg2-bin lintian desktop-file-utils appstream man-db
  # FHIR (issue 16): Node runs the pinned offline validators (tools/fhir-validator)
  nodejs
)

myoscreen_install_deps() {
  local missing=()
  local p
  for p in "${MYOSCREEN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm for the offline FHIR validators (tools/fhir-validator, issue 16): Debian's package on a
# fresh Debian 12; a Node.js from elsewhere (NodeSource) brings its own npm, which Debian's would
# conflict with, so it is installed only when no npm is found.
myoscreen_install_npm() {
  command -v npm >/dev/null 2>&1 && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
}
