#!/bin/bash
# avalon-sync in a container: `docker run IMAGE [validate | sync-once [kitsu|shotgrid] | demo]`, no argument for the
# daemon. JAVA_OPTS adds JVM flags (-Xmx1g, -Dkey=value for any setting). STATUS_PORT is the status/health port.
#
#   entrypoint.sh healthcheck   exits 0 when GET /health answers 200 (compose's health check; the image has no curl)
set -euo pipefail

cd "${AVALON_SYNC_HOME:-/opt/avalon-sync}"
port="${STATUS_PORT:-8080}"

if [ "${1:-}" = "healthcheck" ]; then
    # plain HTTP/1.0 over bash's /dev/tcp: nothing to install, and no JVM start every interval
    exec 3<>"/dev/tcp/127.0.0.1/${port}"
    printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    IFS= read -r -t 5 status <&3
    [[ "${status}" =~ ^HTTP/1\.[01]\ 200 ]]
    exit
fi

read -r -a java_opts <<< "${JAVA_OPTS:-}"
# exec: java replaces this shell as PID 1, so docker stop's SIGTERM reaches the JVM, which stops gracefully
# (sync.shutdown-timeout) and exits 0. The status server must listen on every interface to be reachable.
exec java "${java_opts[@]}" -Dstatus.bind=0.0.0.0 "-Dstatus.port=${port}" -jar avalon-sync.jar "$@"
