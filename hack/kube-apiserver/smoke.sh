#!/usr/bin/env bash
# Pokes a pair started by start.sh with curl: list, create, watch with
# bookmarks, and a streaming list (sendInitialEvents) that must end with the
# k8s.io/initial-events-end bookmark.
#
#   hack/kube-apiserver/smoke.sh RUN_DIR
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 RUN_DIR" >&2; exit 2; }
# shellcheck disable=SC1091
source "$1/env"
command -v jq >/dev/null || { echo "smoke.sh: needs jq" >&2; exit 1; }

k() { curl -fsS --cacert "$KUBE_CA_FILE" -H "Authorization: Bearer $KUBE_TOKEN" "$@"; }
CM="$KUBE_SERVER/api/v1/namespaces/default/configmaps"
summ='{type, name: .object.metadata.name, rv: .object.metadata.resourceVersion, ann: .object.metadata.annotations}'

echo "== GET /version"
k "$KUBE_SERVER/version" | jq -c '{gitVersion, emulationMajor, emulationMinor}'

echo "== GET $CM"
LIST="$(k "$CM")"
LIST_RV="$(jq -r .metadata.resourceVersion <<<"$LIST")"
jq -c '{kind, resourceVersion: .metadata.resourceVersion, items: (.items | length)}' <<<"$LIST"

NAME="smoke-$(date +%s%N)"
echo "== POST $NAME"
k -H 'Content-Type: application/json' -X POST "$CM" \
  -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$NAME\"},\"data\":{\"a\":\"1\"}}" \
  -o /dev/null -w 'HTTP %{http_code}\n'

echo "== watch from resourceVersion=$LIST_RV with bookmarks (timeoutSeconds=8; a merge-patch after 1 s)"
WF="$(mktemp)"
k -N --max-time 15 "$CM?watch=1&resourceVersion=$LIST_RV&allowWatchBookmarks=true&timeoutSeconds=8" >"$WF" &
WPID=$!
sleep 1
k -H 'Content-Type: application/merge-patch+json' -X PATCH "$CM/$NAME" -d '{"data":{"a":"2"}}' -o /dev/null -w 'PATCH HTTP %{http_code}\n'
wait "$WPID"
W="$(cat "$WF")"; rm -f "$WF"
jq -c "$summ" <<<"$W"
for t in ADDED MODIFIED; do
  jq -se --arg n "$NAME" --arg t "$t" 'any(.[]; .type==$t and .object.metadata.name==$n)' <<<"$W" >/dev/null \
    || { echo "FAIL: no $t event for $NAME"; exit 1; }
done
# The watch cache sends a BOOKMARK ~2 s before timeoutSeconds only when its
# resourceVersion has moved past what this watcher already got; on a quiet
# server that may not happen, so a missing one is reported, not failed.
jq -se 'any(.[]; .type=="BOOKMARK")' <<<"$W" >/dev/null || echo "note: no BOOKMARK on this watch"

echo "== streaming list: watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan (timeoutSeconds=3)"
S="$(k -N --max-time 10 "$CM?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=3")"
jq -c "$summ" <<<"$S"
jq -se 'any(.[]; .type=="BOOKMARK" and .object.metadata.annotations["k8s.io/initial-events-end"]=="true")' <<<"$S" >/dev/null \
  || { echo "FAIL: no initial-events-end bookmark"; exit 1; }
echo "OK"
