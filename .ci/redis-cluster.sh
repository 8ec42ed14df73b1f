#!/usr/bin/env bash
# A throwaway Redis Cluster for the tests: three masters, no replicas, on 127.0.0.1.
#
#   bash .ci/redis-cluster.sh start    start the nodes and form the cluster (idempotent; repairs a broken one)
#   bash .ci/redis-cluster.sh stop     shut the nodes down and remove their state folder
#   bash .ci/redis-cluster.sh status   print whether the cluster is up (exit 0 when up, 1 when not)
#
# Environment:
#   REDIS_CLUSTER_PORTS    the node ports, space separated (default "7000 7001 7002"; at least three)
#   REDIS_CLUSTER_DIR      the state folder, one subfolder per port (default /tmp/secondfactor-redis-cluster)
#   REDIS_CLUSTER_TIMEOUT  seconds to wait for nodes and cluster state (default 30)
#
# Exit codes: 0 done, 1 failed (with a message on stderr), 2 usage, 3 redis-server (or redis-cli) missing.
# Nodes keep no data on disk (no RDB, no AOF); only nodes.conf, a pid file and a log live in the state folder.
# Nodes on these ports that this script did not start (another `dir`) are used when they form a healthy
# cluster, and are never flushed, reset or shut down.
set -euo pipefail

HOST=127.0.0.1
read -r -a PORTS <<<"${REDIS_CLUSTER_PORTS:-7000 7001 7002}"
# Not under $TMPDIR: every caller (CI, test workers with their own TMPDIR) must find the same folder.
STATE_DIR="${REDIS_CLUSTER_DIR:-/tmp/secondfactor-redis-cluster}"
STATE_DIR="${STATE_DIR%/}"
TIMEOUT="${REDIS_CLUSTER_TIMEOUT:-30}"

say() { echo "redis-cluster: $*"; }
fail() {
  echo "redis-cluster: error: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|status" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
case "$1" in start | stop | status) ;; *) usage ;; esac

[[ ${#PORTS[@]} -ge 3 ]] || fail "REDIS_CLUSTER_PORTS needs at least three ports (got '${PORTS[*]}')"
for port in "${PORTS[@]}"; do
  [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 55535 ]] ||
    fail "bad port '$port' in REDIS_CLUSTER_PORTS (the cluster bus uses port + 10000, so at most 55535)"
done
[[ "$TIMEOUT" =~ ^[0-9]+$ && "$TIMEOUT" -ge 1 ]] || fail "REDIS_CLUSTER_TIMEOUT must be a whole number of seconds"

if ! command -v redis-cli >/dev/null 2>&1; then
  echo "redis-cluster: redis-cli is not installed (Debian: apt-get install redis-server)" >&2
  exit 3
fi
if [[ "$1" == start ]] && ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-cluster: redis-server is not installed (Debian: apt-get install redis-server)" >&2
  exit 3
fi

# One run at a time: test workers may call `start` together. The lock sits beside the state folder so that
# `stop` can remove the folder while holding it.
if command -v flock >/dev/null 2>&1; then
  mkdir -p "$(dirname "$STATE_DIR")"
  exec 9>"${STATE_DIR}.lock"
  flock -w "$((TIMEOUT * 2))" 9 || fail "another run holds ${STATE_DIR}.lock for more than $((TIMEOUT * 2)) s"
fi

# cli PORT ARGS...: one command to one node, giving up after 3 s (a loopback reply takes milliseconds).
cli() {
  local port="$1"
  shift
  timeout 3 redis-cli -h "$HOST" -p "$port" "$@" 2>/dev/null
}

alive() { [[ "$(cli "$1" ping)" == PONG ]]; }
dead() { ! alive "$1"; }

# listening PORT: something accepts TCP connections on the port (Redis or not).
listening() { timeout 2 bash -c "exec 3<>/dev/tcp/${HOST}/$1" 2>/dev/null; }

# info_field PORT FIELD: one `field:value` of CLUSTER INFO.
info_field() { cli "$1" cluster info | tr -d '\r' | sed -n "s/^$2://p"; }

# ours PORT: the node runs in this script's state folder (so it may be flushed, reset and shut down).
ours() {
  local dir mine
  dir="$(cli "$1" config get dir | sed -n 2p)"
  # Redis reports its working directory with symlinks resolved.
  mine="$(cd "${STATE_DIR}/$1" 2>/dev/null && pwd -P)" || return 1
  [[ -n "$dir" && "$dir" == "$mine" ]]
}

# node_ok PORT: this node sees the whole cluster (all ports, all slots, all masters, state ok).
node_ok() {
  local info
  info="$(cli "$1" cluster info | tr -d '\r')" || return 1
  grep -qx 'cluster_state:ok' <<<"$info" &&
    grep -qx 'cluster_slots_assigned:16384' <<<"$info" &&
    grep -qx 'cluster_slots_ok:16384' <<<"$info" &&
    grep -qx "cluster_known_nodes:${#PORTS[@]}" <<<"$info" &&
    grep -qx "cluster_size:${#PORTS[@]}" <<<"$info"
}

cluster_ok() {
  local port
  for port in "${PORTS[@]}"; do node_ok "$port" || return 1; done
}

# consistent PORT: the node's nodes.conf describes a complete cluster of these ports (it may still be
# converging after a restart); a fresh or stale node does not.
consistent() {
  [[ "$(info_field "$1" cluster_known_nodes)" == "${#PORTS[@]}" ]] &&
    [[ "$(info_field "$1" cluster_slots_assigned)" == 16384 ]]
}

# wait_for SECONDS WHAT COMMAND...: runs the command every 0.1 s until it succeeds or time runs out.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "redis-cluster: timed out after ${seconds} s waiting for ${what}" >&2
      return 1
    fi
    sleep 0.1
  done
}

show_nodes() {
  local port
  for port in "${PORTS[@]}"; do
    echo "--- ${HOST}:${port}" >&2
    if alive "$port"; then
      cli "$port" cluster info | tr -d '\r' | grep -E '^cluster_(state|slots_assigned|known_nodes|size):' >&2 || true
      cli "$port" cluster nodes >&2 || true
    else
      echo "not answering" >&2
      [[ -f "${STATE_DIR}/${port}/redis.log" ]] && tail -n 20 "${STATE_DIR}/${port}/redis.log" >&2
    fi
  done
  return 0
}

# check_port PORT: a cluster node answers on the port, or it and its bus port (+10000) are free.
check_port() {
  local port="$1" p
  if alive "$port"; then
    [[ "$(cli "$port" info cluster | tr -d '\r' | sed -n 's/^cluster_enabled://p')" == 1 ]] ||
      fail "${HOST}:${port} answers but is not a cluster node; stop it or set REDIS_CLUSTER_PORTS"
    return 0
  fi
  for p in "$port" "$((port + 10000))"; do
    ! listening "$p" || fail "port ${p} on ${HOST} is taken by something else; stop it or set REDIS_CLUSTER_PORTS"
  done
}

start_node() {
  local port="$1" dir="${STATE_DIR}/$1"
  alive "$port" && return 0
  mkdir -p "$dir"
  # A pid file left by a crashed node must not make `stop` signal a recycled pid. The daemon must not
  # inherit fd 9 (the lock): it would hold the lock for as long as it runs.
  rm -f "${dir}/redis.pid"
  if ! redis-server \
    --port "$port" \
    --bind "$HOST" \
    --daemonize yes \
    --dir "$dir" \
    --pidfile "${dir}/redis.pid" \
    --logfile "${dir}/redis.log" \
    --cluster-enabled yes \
    --cluster-config-file "${dir}/nodes.conf" \
    --cluster-node-timeout 5000 \
    --save "" \
    --appendonly no 9>&- >"${dir}/start.out" 2>&1; then
    cat "${dir}/start.out" >&2
    fail "redis-server did not start on ${HOST}:${port}"
  fi
}

# reset_node PORT: forget every other node and slot (and the data, which a master must not hold to reset).
reset_node() {
  local port="$1"
  [[ "$(cli "$port" flushall)" == OK ]] || fail "FLUSHALL failed on ${HOST}:${port}"
  [[ "$(cli "$port" cluster reset hard)" == OK ]] || fail "CLUSTER RESET HARD failed on ${HOST}:${port}"
}

create_cluster() {
  local port nodes=() out
  for port in "${PORTS[@]}"; do nodes+=("${HOST}:${port}"); done
  say "creating the cluster on ${nodes[*]}"
  if ! out="$(timeout "$TIMEOUT" redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes 2>&1)"; then
    echo "$out" >&2
    show_nodes
    fail "redis-cli --cluster create failed"
  fi
}

start() {
  local started=$SECONDS port
  for port in "${PORTS[@]}"; do check_port "$port"; done
  for port in "${PORTS[@]}"; do start_node "$port"; done
  for port in "${PORTS[@]}"; do
    wait_for "$TIMEOUT" "${HOST}:${port} to answer PING" alive "$port" || {
      show_nodes
      fail "node ${HOST}:${port} did not come up"
    }
  done

  if cluster_ok; then
    say "up on ports ${PORTS[*]} (already formed)"
    return 0
  fi

  # Nodes restarted over intact nodes.conf files re-form the cluster by themselves within a few seconds.
  local all_consistent=1
  for port in "${PORTS[@]}"; do consistent "$port" || all_consistent=0; done
  if ((all_consistent)) && wait_for 10 "the existing cluster to converge" cluster_ok 2>/dev/null; then
    say "up on ports ${PORTS[*]} (re-formed from nodes.conf in $((SECONDS - started)) s)"
    return 0
  fi

  # From here on the nodes are changed: only nodes this script started.
  for port in "${PORTS[@]}"; do
    ours "$port" || fail "${HOST}:${port} was not started by this script and the cluster is not healthy;" \
      "not touching it (stop it or set REDIS_CLUSTER_PORTS)"
  done
  # Fresh nodes only need creating; anything else (stale or partial nodes.conf, missing slots) is reset.
  local fresh=1
  for port in "${PORTS[@]}"; do
    [[ "$(info_field "$port" cluster_known_nodes)" == 1 && "$(info_field "$port" cluster_slots_assigned)" == 0 &&
      "$(cli "$port" dbsize)" == 0 ]] || fresh=0
  done
  if ((!fresh)); then
    say "the nodes do not form a healthy cluster; resetting them"
    for port in "${PORTS[@]}"; do reset_node "$port"; done
  fi

  create_cluster
  wait_for "$TIMEOUT" "cluster_state:ok and 16384 slots on every node" cluster_ok || {
    show_nodes
    fail "the cluster did not become healthy"
  }
  say "up on ports ${PORTS[*]} (formed in $((SECONDS - started)) s)"
}

stop() {
  local port pid failed=0
  for port in "${PORTS[@]}"; do
    if alive "$port"; then
      if ! ours "$port"; then
        echo "redis-cluster: ${HOST}:${port} was not started by this script; leaving it running" >&2
        continue
      fi
      cli "$port" shutdown nosave >/dev/null || true
    elif [[ -f "${STATE_DIR}/${port}/redis.pid" ]]; then
      # Started by us but not answering (hung or half-started): end that process, by its pid only.
      pid="$(cat "${STATE_DIR}/${port}/redis.pid")"
      if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$(cat "/proc/${pid}/comm" 2>/dev/null)" == redis-server* ]]; then
        kill "$pid" 2>/dev/null || true
      fi
    fi
    if ! wait_for 10 "${HOST}:${port} to shut down" dead "$port"; then
      failed=1
    fi
  done
  ((failed)) && fail "some nodes did not shut down; state left in ${STATE_DIR}"
  # Only these ports' folders: a cluster on other ports may share the state folder.
  for port in "${PORTS[@]}"; do rm -rf "${STATE_DIR:?}/${port}"; done
  rmdir "$STATE_DIR" 2>/dev/null || true
  say "stopped (ports ${PORTS[*]})"
}

status() {
  local port up=1
  for port in "${PORTS[@]}"; do
    if ! alive "$port"; then
      echo "${HOST}:${port} down"
      up=0
    elif node_ok "$port"; then
      echo "${HOST}:${port} up, cluster_state:ok"
    else
      echo "${HOST}:${port} up, cluster not healthy ($(info_field "$port" cluster_state)," \
        "$(info_field "$port" cluster_slots_assigned) slots, $(info_field "$port" cluster_known_nodes) nodes)"
      up=0
    fi
  done
  if ((up)); then
    say "up"
  else
    say "not up"
    return 1
  fi
}

"$1"
