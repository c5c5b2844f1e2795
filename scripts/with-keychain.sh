#!/usr/bin/env bash
# Runs a command against a private, unlocked GNOME keyring (Secret Service).
# Used under `dbus-run-session` by the keychain tests and .ci/run:
#   dbus-run-session -- bash scripts/with-keychain.sh CMD ARGS...
# The keyring lives in a temporary XDG_DATA_HOME with a fixed password, so it
# never touches the developer's own keychain and needs no prompt.
set -euo pipefail
data=$(mktemp -d "${TMPDIR:-/tmp}/swarmdeck-keyring-XXXXXX")
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
# --unlock reads the login keyring's password from stdin and creates the keyring with it.
eval "$(printf 'swarmdeck-ci' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
