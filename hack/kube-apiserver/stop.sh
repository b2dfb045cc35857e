#!/usr/bin/env bash
# Stops the etcd + kube-apiserver that start.sh started in RUN_DIR, and removes
# their data dir, kubeconfig and env file (logs stay in RUN_DIR).
#
#   hack/kube-apiserver/stop.sh RUN_DIR
#
# Only the pids recorded in RUN_DIR/env are signalled, and only while they
# still run the recorded binary (a recycled pid is left alone).
set -euo pipefail

log() { echo "stop.sh: $*" >&2; }
[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 RUN_DIR" >&2; exit 2; }
RUN_DIR="$1"
if [[ ! -f "$RUN_DIR/env" ]]; then
  log "nothing to stop: no $RUN_DIR/env"
  exit 0
fi

ETCD_PID="" APISERVER_PID="" ETCD_BIN="" APISERVER_BIN="" DATA_DIR=""
# shellcheck disable=SC1091
source "$RUN_DIR/env"

ours() { # pid binary
  [[ -n "$1" && -n "$2" ]] && [[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == "$2" ]]
}

start=$SECONDS
stop_one() { # name pid binary
  local name=$1 pid=$2 bin=$3
  if ! ours "$pid" "$bin"; then
    log "$name (pid ${pid:-?}) is not running"
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do ours "$pid" "$bin" || { log "$name (pid $pid) stopped"; return; }; sleep 0.1; done
  log "$name (pid $pid) ignored TERM for 15 s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 50); do ours "$pid" "$bin" || return; sleep 0.1; done
}
# The apiserver first, so it does not spin on a vanished etcd.
stop_one kube-apiserver "$APISERVER_PID" "$APISERVER_BIN"
stop_one etcd "$ETCD_PID" "$ETCD_BIN"

case "$DATA_DIR" in
  */informerscope-kube.*) rm -rf "$DATA_DIR" ;;
  *) log "not removing unexpected data dir '$DATA_DIR'" ;;
esac
rm -f "$RUN_DIR/env" "$RUN_DIR/kubeconfig" "$RUN_DIR/ca.crt"
log "done in $((SECONDS - start)) s"
