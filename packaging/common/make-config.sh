#!/usr/bin/env bash
# Writes the packaged /etc/meshedge/meshedge.toml to stdout: the binary's embedded default
# (src/Proxy.Native/Hosting/default.toml, copied at package time so the two cannot drift) framed by
# comments for someone opening the file for the first time.
#   packaging/common/make-config.sh src/Proxy.Native/Hosting/default.toml > meshedge.toml
set -euo pipefail
default_toml="${1:?usage: make-config.sh DEFAULT_TOML}"
cat <<'HEAD'
# /etc/meshedge/meshedge.toml: the configuration meshedge.service runs with.
#
# This file is yours: package upgrades never overwrite it once you have edited it
# (a dpkg conffile, an rpm %config(noreplace)).
#
# After editing:
#   meshedge validate -c /etc/meshedge/meshedge.toml   # 0 = valid; otherwise each error on a line
#   systemctl restart meshedge                         # (the unit validates before starting, too)
#
# Every key, with its default and allowed values, is shown in the commented examples under
# /usr/share/doc/meshedge/examples/ (edge-tcp.toml; edge-tcp.json is the same in JSON), and
# `man meshedge` describes the command line.
#
# Durations are a number and a unit ("250ms", "5s", "1.5m", "1h"); sizes are bytes or a number
# and a unit (65536, "64KiB", "1MiB"). Addresses are IP literals with a port: "0.0.0.0:443",
# "[::]:443". Ports below 1024 work: the unit grants CAP_NET_BIND_SERVICE.
#
# What follows is meshedge's built-in default, the same one it uses when started without -c and
# without this file: a sidecar listener on 127.0.0.1:10000 in front of an application on
# 127.0.0.1:8080. Replace it with your listeners and clusters.
# ---------------------------------------------------------------------------------------------

HEAD
cat "$default_toml"
cat <<'TAIL'

# ---------------------------------------------------------------------------------------------
# A second listener, for example public TCP on port 443 to a cluster of two hosts:
#
# [[listeners]]
# name = "public"
# address = "0.0.0.0:443"
# [listeners.tcp_proxy]
# cluster = "backend"
#
# [[clusters]]
# name = "backend"
# hosts = ["10.0.0.11:8443", "10.0.0.12:8443"]
TAIL
