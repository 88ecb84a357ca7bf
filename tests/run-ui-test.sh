#!/bin/sh
# Runs one UI test with its own session bus (for AT-SPI and GApplication) and
# its own virtual X server, so UI tests never share a desktop, whatever runs
# them (build-aux/dev.sh test, plain meson test, CI).
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1400x900x24" "$@"
