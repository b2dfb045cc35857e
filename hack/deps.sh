#!/usr/bin/env bash
# Checks for the tools `make test` needs beyond Go's module cache:
#   go >= 1.26   apimachinery v0.37 requires it
#   node         runs the js/wasm unit tests (Go's go_js_wasm_exec)
#   chromium     runs the browser test (chromedp drives it over a pipe)
# Quiet when all are present. As root on Debian it installs what is missing
# (CI runs as root on a fresh machine); otherwise it says what to install
# and fails.
set -euo pipefail

missing_pkgs=()
problems=()

# go: apt's Go is too old on Debian 12, so this one is never installed here.
if ! command -v go >/dev/null 2>&1; then
	problems+=("go 1.26 or newer is not on PATH: see https://go.dev/dl/")
else
	v=$(go env GOVERSION)
	if [[ $v =~ ^go([0-9]+)\.([0-9]+) ]]; then
		major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
		if ((major < 1 || (major == 1 && minor < 26))); then
			problems+=("go is $v; 1.26 or newer is needed: see https://go.dev/dl/")
		fi
	fi # a devel toolchain is trusted
fi

if ! command -v node >/dev/null 2>&1; then
	missing_pkgs+=(nodejs)
fi

if [[ ! -x /usr/bin/chromium ]] && ! command -v chromium >/dev/null 2>&1; then
	missing_pkgs+=(chromium)
fi

if ((${#problems[@]})); then
	printf 'hack/deps.sh: %s\n' "${problems[@]}" >&2
	exit 1
fi

if ((${#missing_pkgs[@]} == 0)); then
	exit 0
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
	echo "hack/deps.sh: installing ${missing_pkgs[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive # CI has no stdin to answer prompts
	apt-get update
	apt-get install -y "${missing_pkgs[@]}"
	exit 0
fi

echo "hack/deps.sh: missing ${missing_pkgs[*]}; on Debian or Ubuntu install with:" >&2
echo "  sudo apt-get update && sudo apt-get install -y ${missing_pkgs[*]}" >&2
exit 1
