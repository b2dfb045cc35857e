#!/usr/bin/env bash
# Builds a real etcd and kube-apiserver from the Go module proxy into a
# versioned cache directory, so integration tests can run them as processes.
#
#   hack/kube-apiserver/build.sh        # prints the bin directory on stdout
#
# kube-apiserver cannot be built with `go install ...@version` (k8s.io/kubernetes
# has replace directives), so a throwaway wrapper module requires
# k8s.io/kubernetes and pins every k8s.io staging module to the matching
# v0.X.Y release. etcd is built in the same module through a tiny etcdmain.Main
# wrapper (same main as the release binary). Nothing is written to the project
# tree. A second run with the binaries present does nothing.
#
# Env: KUBE_VERSION (v1.37.2), ETCD_VERSION (v3.7.0), INFORMERSCOPE_KUBE_CACHE
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/informerscope).
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-v3.7.0}"
CACHE_ROOT="${INFORMERSCOPE_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/informerscope}"
DEST="$CACHE_ROOT/kube-apiserver-${KUBE_VERSION}_etcd-${ETCD_VERSION}"
BIN="$DEST/bin"

log() { echo "build.sh: $*" >&2; }

have_binaries() {
  [[ -x "$BIN/kube-apiserver" && -x "$BIN/etcd" && -f "$BIN/.complete" ]]
}

if have_binaries; then
  log "cached: $BIN"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
mkdir -p "$DEST"

# One build at a time per cache dir; a second caller waits, then reuses.
exec 9>"$DEST/.build.lock"
if ! flock -n 9; then
  log "another build holds $DEST/.build.lock; waiting"
  flock 9
fi
if have_binaries; then
  log "cached (built by a concurrent run): $BIN"
  echo "$BIN"
  exit 0
fi

export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/informerscope-kubebuild.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
start=$SECONDS

log "building kube-apiserver $KUBE_VERSION and etcd $ETCD_VERSION in $WORK (cold: ~8 min on 2 cores)"

# Take k8s.io/kubernetes' own go.mod: its go directive and its replace block.
KMOD="$(cd "$WORK" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
[[ -f "$KMOD" ]] || { log "could not download k8s.io/kubernetes@$KUBE_VERSION go.mod"; exit 1; }
GO_DIRECTIVE="$(awk '$1=="go"{print $2; exit}' "$KMOD")"
STAGING_VERSION="v0.${KUBE_VERSION#v1.}"   # v1.37.2 -> v0.37.2
REPLACES="$(grep -oE 'k8s\.io/[A-Za-z0-9._-]+ => \./staging/src/k8s\.io/[A-Za-z0-9._-]+' "$KMOD" \
  | awk -v v="$STAGING_VERSION" '{print "\t" $1 " => " $1 " " v}' | sort -u)"
[[ -n "$REPLACES" ]] || { log "no staging replace lines found in $KMOD"; exit 1; }

mkdir -p "$WORK/cmd/etcd"
cat >"$WORK/cmd/etcd/main.go" <<'GO'
// Command etcd is the release etcd main, built from the Go module proxy.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
cat >"$WORK/go.mod" <<MOD
module informerscope.invalid/kubebin

go $GO_DIRECTIVE

require (
	k8s.io/kubernetes $KUBE_VERSION
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
)

tool k8s.io/kubernetes/cmd/kube-apiserver

replace (
$REPLACES
)
MOD
log "go $GO_DIRECTIVE, $(wc -l <<<"$REPLACES") staging replaces -> $STAGING_VERSION"

(cd "$WORK" && go mod tidy)
log "go mod tidy done after $((SECONDS - start)) s"

MAJOR="${KUBE_VERSION#v}"; MAJOR="${MAJOR%%.*}"
MINOR="${KUBE_VERSION#v*.}"; MINOR="${MINOR%%.*}"
V=k8s.io/component-base/version
LDFLAGS="-s -w -X $V.gitVersion=$KUBE_VERSION -X $V.gitMajor=$MAJOR -X $V.gitMinor=$MINOR -X $V.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
mkdir -p "$WORK/bin"
(cd "$WORK" && go build -trimpath -ldflags "$LDFLAGS" -o "$WORK/bin/" k8s.io/kubernetes/cmd/kube-apiserver ./cmd/etcd)
log "go build done after $((SECONDS - start)) s"

"$WORK/bin/etcd" --version >&2
"$WORK/bin/kube-apiserver" --version >&2

mkdir -p "$BIN"
mv -f "$WORK/bin/etcd" "$WORK/bin/kube-apiserver" "$BIN/"
cp "$WORK/go.mod" "$WORK/go.sum" "$DEST/"   # for the record: what was built
touch "$BIN/.complete"
log "built in $((SECONDS - start)) s: $BIN"
echo "$BIN"
