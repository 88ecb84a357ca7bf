#!/usr/bin/env bash
# The two commands of the README:
#   build-aux/dev.sh run    install what is missing, build, open DNS Hunt on the demo logs
#   build-aux/dev.sh test   install what is missing, build, run the whole test suite
# Works on a fresh Debian 12 machine as root (or with sudo), with no input.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
build="${DNSHUNT_BUILD_DIR:-$top/_build}"
asan="${DNSHUNT_ASAN_BUILD_DIR:-$top/_build-asan}"

# Every Debian package the build or the tests need, and nothing by hand.
build_packages=(
  meson ninja-build build-essential pkg-config gettext
  libglib2.0-dev libglib2.0-bin libjson-glib-dev zlib1g-dev libdeflate-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libsoup-3.0-dev glib-networking libsecret-1-dev
  libgtk-4-dev libadwaita-1-dev
  desktop-file-utils appstream
)
# poppler-utils: pdftotext and pdfinfo read the PDF reports back;
# cmark-gfm: GitHub's Markdown parser renders the Markdown reports;
# python3-botocore checks every signature in the loopback CloudWatch Logs test
# server; python3-boto3 checks that server against the real AWS SDK;
# clang and its runtime build the fuzz targets;
# the UI tests drive the real window through AT-SPI under a virtual display.
test_packages=(
  python3 gzip jq poppler-utils cmark-gfm clang libclang-rt-14-dev
  python3-botocore python3-boto3
  xvfb xauth dbus-daemon at-spi2-core python3-dogtail python3-gi gir1.2-atspi-2.0
  gsettings-desktop-schemas dconf-gsettings-backend
)

missing_packages() {
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s\n' "$p"
    fi
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "dev.sh: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      echo "dev.sh: these Debian packages are missing: ${missing[*]}" >&2
      echo "dev.sh: run as root, or install them: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq </dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

configure_and_build() {
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top"
  fi
  meson compile -C "$build"
}

cmd="${1:-}"
case "$cmd" in
  run)
    install_packages "${build_packages[@]}"
    configure_and_build
    shift
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
      # Running from the build tree: the settings schema is in the build's data
      # dir, the demo logs (Open Demo Logs) in the source tree's.
      export GSETTINGS_SCHEMA_DIR="$build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
      export DNSHUNT_DEMO_DIR="${DNSHUNT_DEMO_DIR:-$top/data/demo}"
      exec "$build/src/dnshunt" "$@" "$top/data/demo"
    fi
    # No display: show what the window would, as text.
    echo "dev.sh: no display (DISPLAY or WAYLAND_DISPLAY); showing the demo scan instead" >&2
    exec "$build/src/dnshunt" scan "$@" "$top/data/demo"
    ;;
  test)
    install_packages "${build_packages[@]}" "${test_packages[@]}"
    configure_and_build
    shift
    status=0
    # Plain meson test: each UI test brings its own session bus and virtual
    # display (tests/run-ui-test.sh), the others need neither. The desktop's
    # are left out, so that a run here is the run of CI, which has none.
    unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
    meson test -C "$build" --print-errorlogs "$@" || status=$?
    logs=("$build/meson-logs/testlog.json")
    # The whole suite again, built with AddressSanitizer and UBSan (the fuzz
    # suite already is). DNSHUNT_NO_SANITIZE=1 skips it for a quick local run.
    if [ -z "${DNSHUNT_NO_SANITIZE:-}" ]; then
      if [ ! -f "$asan/build.ninja" ]; then
        meson setup "$asan" "$top" -Db_sanitize=address,undefined -Db_lundef=false
      fi
      meson compile -C "$asan"
      # Leaks are checked in the fuzz run; GTK and fontconfig keep much for the
      # life of a process, which LeakSanitizer would report at every UI exit.
      ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:detect_stack_use_after_return=0" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
      meson test -C "$asan" --print-errorlogs --no-suite fuzz --timeout-multiplier 4 \
        --logbase testlog-sanitize "$@" || status=$?
      logs+=("$asan/meson-logs/testlog-sanitize.json")
    fi
    # One plain closing line for whoever reads the log.
    python3 - "${logs[@]}" <<'PY' || true
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line).get("result", "")
        key = "OK" if r in ("OK", "EXPECTEDFAIL") else "SKIP" if r == "SKIP" else "FAIL"
        counts[key] += 1
print(f"dev.sh: {counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
    exit "$status"
    ;;
  *)
    echo "usage: build-aux/dev.sh run|test" >&2
    exit 1
    ;;
esac
