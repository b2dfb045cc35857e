#!/usr/bin/env bash
# Starts a throwaway etcd + kube-apiserver on free 127.0.0.1 ports.
#
#   hack/kube-apiserver/start.sh RUN_DIR      # prints RUN_DIR/kubeconfig on stdout
#
# Writes into RUN_DIR:
#   kubeconfig   cluster https://127.0.0.1:PORT, CA embedded, bearer token (system:masters)
#   env          shell-sourceable: KUBE_SERVER, KUBE_TOKEN, KUBE_CA_FILE, ports, pids, data dir
#   ca.crt       the throwaway CA, for curl --cacert
#   etcd.log, kube-apiserver.log
# etcd data, certificates and keys live in a mktemp data dir that stop.sh removes.
# If RUN_DIR already holds a running, ready pair, it is reused.
# Binaries come from build.sh (cached; a cold build takes ~8 min).
# Stop with hack/kube-apiserver/stop.sh RUN_DIR.
set -euo pipefail
set +m   # no job control: "$!" must be the daemon itself (setsid then does not fork)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "start.sh: $*" >&2; }

[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 RUN_DIR" >&2; exit 2; }
mkdir -p "$1"
RUN_DIR="$(cd "$1" && pwd)"
READY_TIMEOUT="${READY_TIMEOUT:-90}"
start=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}'; }

exec 8>"$RUN_DIR/.lock"
flock 8

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

if [[ -f "$RUN_DIR/env" ]]; then
  # shellcheck disable=SC1091
  ( source "$RUN_DIR/env"
    alive "$ETCD_PID" && alive "$APISERVER_PID" &&
      curl -fsS --max-time 2 --cacert "$KUBE_CA_FILE" "$KUBE_SERVER/readyz" >/dev/null ) && {
    log "reusing the running pair in $RUN_DIR"
    echo "$RUN_DIR/kubeconfig"
    exit 0
  }
  log "stale $RUN_DIR/env; stopping leftovers first"
  "$HERE/stop.sh" "$RUN_DIR" 8>&-
fi

BIN="$("$HERE/build.sh" 8>&-)"
for b in etcd kube-apiserver; do
  [[ -x "$BIN/$b" ]] || { log "missing $BIN/$b"; exit 1; }
done

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/informerscope-kube.XXXXXX")"
CERTS="$DATA_DIR/certs"
mkdir -p "$CERTS"

# --- certificates and the token ---------------------------------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$CERTS/ca.key" 2>/dev/null
openssl req -x509 -new -key "$CERTS/ca.key" -sha256 -days 7 -subj "/CN=informerscope-test-ca" \
  -out "$CERTS/ca.crt" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$CERTS/serving.key" 2>/dev/null
openssl req -new -key "$CERTS/serving.key" -subj "/CN=kube-apiserver" -out "$CERTS/serving.csr" 2>/dev/null
printf '%s\n' \
  "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc" \
  "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" >"$CERTS/serving.ext"
openssl x509 -req -in "$CERTS/serving.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" -CAcreateserial \
  -days 7 -sha256 -extfile "$CERTS/serving.ext" -out "$CERTS/serving.crt" 2>/dev/null
openssl genrsa -out "$CERTS/sa.key" 2048 2>/dev/null
openssl rsa -in "$CERTS/sa.key" -pubout -out "$CERTS/sa.pub" 2>/dev/null
TOKEN="$(openssl rand -hex 24)"
echo "$TOKEN,admin,admin-uid,system:masters" >"$CERTS/tokens.csv"
chmod 600 "$CERTS"/*.key "$CERTS/tokens.csv"
cp "$CERTS/ca.crt" "$RUN_DIR/ca.crt"

# --- ports ------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p
  while :; do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
    port_free "$p" && { echo "$p"; return; }
  done
}

ETCD_PID="" APISERVER_PID=""
kill_started() {
  local pid
  for pid in "$APISERVER_PID" "$ETCD_PID"; do
    alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$APISERVER_PID" "$ETCD_PID"; do
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
  ETCD_PID="" APISERVER_PID=""
}
ok=""
on_exit() {
  [[ -n "$ok" ]] && return
  log "failed; see $RUN_DIR/etcd.log and $RUN_DIR/kube-apiserver.log"
  kill_started
  rm -rf "$DATA_DIR"
}
trap on_exit EXIT

# "$!" is the daemon's pid only if it exec'd the binary we meant: check it.
check_exe() { # pid binary
  for _ in $(seq 20); do
    [[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == "$2" ]] && return 0
    sleep 0.05
  done
  return 1
}

wait_http() { # url seconds pid [curl args...]
  local url=$1 secs=$2 pid=$3; shift 3
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    alive "$pid" || return 1
    curl -fsS --max-time 2 "$@" "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

started=""
for attempt in 1 2 3; do
  EPORT="$(pick_port)"
  APORT="$(pick_port)"
  [[ "$EPORT" != "$APORT" ]] || continue
  rm -rf "$DATA_DIR/etcd-data"
  log "attempt $attempt: etcd on 127.0.0.1:$EPORT, kube-apiserver on 127.0.0.1:$APORT"

  t_etcd=$EPOCHREALTIME
  setsid "$BIN/etcd" --name=informerscope --data-dir="$DATA_DIR/etcd-data" \
    --listen-client-urls="http://127.0.0.1:$EPORT" --advertise-client-urls="http://127.0.0.1:$EPORT" \
    --listen-peer-urls=http://127.0.0.1:0 --unsafe-no-fsync --log-level=warn \
    </dev/null >"$RUN_DIR/etcd.log" 2>&1 8>&- 9>&- &
  ETCD_PID=$!
  check_exe "$ETCD_PID" "$BIN/etcd" || { log "etcd pid $ETCD_PID is not $BIN/etcd"; exit 1; }
  if ! wait_http "http://127.0.0.1:$EPORT/health" 20 "$ETCD_PID"; then
    log "etcd did not become healthy"; tail -n 20 "$RUN_DIR/etcd.log" >&2 || true
    kill_started; continue
  fi

  log "etcd healthy after $(since "$t_etcd") s"
  t_api=$EPOCHREALTIME
  setsid "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$EPORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$APORT" \
    --endpoint-reconciler-type=none \
    --cert-dir="$DATA_DIR/apiserver-certs" \
    --tls-cert-file="$CERTS/serving.crt" --tls-private-key-file="$CERTS/serving.key" \
    --client-ca-file="$CERTS/ca.crt" \
    --token-auth-file="$CERTS/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$CERTS/sa.pub" --service-account-signing-key-file="$CERTS/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --disable-admission-plugins=ServiceAccount \
    --allow-privileged=true --profiling=false \
    </dev/null >"$RUN_DIR/kube-apiserver.log" 2>&1 8>&- 9>&- &
  APISERVER_PID=$!
  check_exe "$APISERVER_PID" "$BIN/kube-apiserver" || { log "kube-apiserver pid $APISERVER_PID is not $BIN/kube-apiserver"; exit 1; }
  if ! wait_http "https://127.0.0.1:$APORT/readyz" "$READY_TIMEOUT" "$APISERVER_PID" --cacert "$CERTS/ca.crt"; then
    log "kube-apiserver did not become ready"; tail -n 20 "$RUN_DIR/kube-apiserver.log" >&2 || true
    kill_started; continue
  fi
  log "kube-apiserver /readyz 200 after $(since "$t_api") s"
  started=1
  break
done
[[ -n "$started" ]] || { log "could not start after 3 attempts"; exit 1; }

SERVER="https://127.0.0.1:$APORT"
cat >"$RUN_DIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: informerscope
  cluster:
    server: $SERVER
    certificate-authority-data: $(base64 -w0 <"$CERTS/ca.crt")
users:
- name: admin
  user:
    token: $TOKEN
contexts:
- name: informerscope
  context:
    cluster: informerscope
    user: admin
    namespace: default
current-context: informerscope
KC
chmod 600 "$RUN_DIR/kubeconfig"

cat >"$RUN_DIR/env" <<ENV
KUBE_SERVER=$SERVER
KUBE_TOKEN=$TOKEN
KUBE_CA_FILE=$RUN_DIR/ca.crt
KUBECONFIG=$RUN_DIR/kubeconfig
APISERVER_PORT=$APORT
APISERVER_PID=$APISERVER_PID
APISERVER_BIN=$BIN/kube-apiserver
ETCD_URL=http://127.0.0.1:$EPORT
ETCD_PORT=$EPORT
ETCD_PID=$ETCD_PID
ETCD_BIN=$BIN/etcd
DATA_DIR=$DATA_DIR
ENV
chmod 600 "$RUN_DIR/env"
ok=1

log "ready in $(since "$start") s total: $SERVER (etcd pid $ETCD_PID, kube-apiserver pid $APISERVER_PID)"
echo "$RUN_DIR/kubeconfig"
