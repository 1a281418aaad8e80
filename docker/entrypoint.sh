#!/bin/bash
# avalon-sync in a container: `docker run IMAGE [validate | sync-once [kitsu|shotgrid]]`, no argument for the
# daemon. JAVA_OPTS adds JVM flags (-Xmx1g, -Dkey=value for any setting). STATUS_PORT is the status/health port.
#
#   entrypoint.sh healthcheck   exits 0 when GET /health/live answers 200: the process and Camel run (the image's
#                               HEALTHCHECK; a tracker or MongoDB outage must not get a healthy service restarted)
#   entrypoint.sh ready         exits 0 when GET /health/ready answers 200: MongoDB and the enabled trackers are UP
# (the image has no curl)
set -euo pipefail

cd "${AVALON_SYNC_HOME:-/opt/avalon-sync}"
port="${STATUS_PORT:-8080}"

probe() {
    # plain HTTP/1.0 over bash's /dev/tcp: nothing to install, and no JVM start every interval
    exec 3<>"/dev/tcp/127.0.0.1/${port}"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    IFS= read -r -t 5 status <&3
    [[ "${status}" =~ ^HTTP/1\.[01]\ 200 ]]
}

case "${1:-}" in
    healthcheck) probe /health/live; exit ;;
    ready) probe /health/ready; exit ;;
esac

read -r -a java_opts <<< "${JAVA_OPTS:-}"
# the class-data-sharing archive made when the image was built (README, Faster start): the JVM maps the classes it
# loaded then instead of reading and verifying them from the jar at every start; -Xshare:off in JAVA_OPTS turns it off
cds=()
if [[ -f avalon-sync.jsa ]]; then
    cds=(-XX:SharedArchiveFile=avalon-sync.jsa)
fi
# a one-shot command ends within seconds: C1-compiled code and the serial collector save the start the C2 compiler
# and G1's threads cost on a small machine (README, Faster start). The daemon keeps the JVM's defaults. A collector or
# -XX:TieredStopAtLevel in JAVA_OPTS wins (a second collector flag would stop the JVM, so none is added then)
one_shot=()
if [[ "${1:-}" == sync-once || "${1:-}" == validate ]]; then
    one_shot=(-XX:TieredStopAtLevel=1)
    collector='(^| )-XX:\+Use[A-Za-z0-9]+GC( |$)'
    if [[ ! "${JAVA_OPTS:-}" =~ $collector ]]; then
        one_shot+=(-XX:+UseSerialGC)
    fi
fi
# exec: java replaces this shell as PID 1, so docker stop's SIGTERM reaches the JVM, which stops gracefully
# (camel.main.shutdown-timeout) and exits 0. The status server must listen on every interface to be reachable.
# The heap follows the container's memory limit; an -Xmx or another MaxRAMPercentage in JAVA_OPTS comes later and wins.
exec java -XX:MaxRAMPercentage=75 "${cds[@]}" "${one_shot[@]}" "${java_opts[@]}" -Dstatus.bind=0.0.0.0 "-Dstatus.port=${port}" -jar avalon-sync.jar "$@"
