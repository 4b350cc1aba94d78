# bench/rig/packages.sh - the Debian packages a benchmark needs, installed only when missing.
# shellcheck shell=bash

# need_commands CMD:PKG...: install the packages whose command is missing (none missing: nothing to do).
need_commands() {
    local pair missing=()
    for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}"); done
    install_missing "${missing[@]}"
}

# install_missing PKG...: apt-get install the named Debian packages (none: nothing to do), with
# apt-get update only when installing and no daemon started system-wide by the packages.
install_missing() {
    local missing=("$@")
    ((${#missing[@]} == 0)) && return 0
    log "installing: ${missing[*]}"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    # Keep the packages' init scripts from starting system-wide daemons during the install.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
        "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
        CREATED_POLICY_RC=1
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if ((CREATED_POLICY_RC)); then "${sudo[@]}" rm -f /usr/sbin/policy-rc.d; CREATED_POLICY_RC=0; fi
}
