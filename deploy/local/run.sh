#!/usr/bin/env bash
# Runs the whole of co-sell sync on one machine, from nothing but a JDK 17 and Maven Central:
# a KRaft Kafka broker from the Kafka jars, PostgreSQL (the local server on 127.0.0.1:5432 if one answers,
# an embedded one otherwise), the topics, both simulators, the four services and demo data.
# Ctrl-C (or SIGTERM) stops everything it started. All state lives under one directory.
# It starts nothing when one of its ports is taken (another system runs with this offset, or another program), and
# never drops a database another live system holds.
#
# Environment (all optional):
#   COSELL_STATE_DIR   where state, logs and downloaded jars go   (default: <repo>/.cosell-local)
#   COSELL_TENANTS     tenants the services serve                  (default: contoso,fabrikam)
#   COSELL_SKIP_BUILD  1 = use the jars already built              (default: build first)
#   COSELL_PORT_OFFSET added to every port below                   (default: 0)
#                      broker 9092, embedded PostgreSQL 15432 (only when no local server answers),
#                      ingress 8080 (its public webhook port 8088), mapper 8081, salesforce-writer 8082,
#                      partnercenter-writer 8083,
#                      Partner Center simulator 8090 (its webhook registration API 8092), Salesforce simulator 8091
#                      (TLS and its Pub/Sub API also on 7443);
#                      the database is `cosell`, or `cosell_<offset>` with an offset
#   COSELL_TOOLS_CLASSPATH  classpath of the testing module (skips resolving it with Maven)
#   COSELL_RUN_ONCE    1 = start, check health and demo flow, stop (used by the system test and CI)
#   COSELL_KEEP_DATABASE 1 = keep the services' database from the last run (default: start it afresh, as the simulators do)
#   COSELL_SALESFORCE_POLLING  tenants whose org ingress reads in polling mode, as an org without Change Data Capture
#                      (polled every 5 s here; default: none, every org sends change events)
#   COSELL_INSTANCE    this system's instance name, as a Helm release's (lower-case letters, digits, dashes): its
#                      topics are <instance>.…, its consumer groups <instance>.…, its schemas <instance>_ingress, …
#                      and its metrics say cosell_instance="<instance>"; systems with different instances may share
#                      one broker and one database (default: none — topics cosell.…, the database held alone)
#   COSELL_KAFKA_BOOTSTRAP  a broker to use instead of starting one (host:port)
#   COSELL_DATABASE    the database's name (default: cosell, or cosell_<offset> with an offset)
#   COSELL_DATABASE_SERVER  host:port:user:password of a PostgreSQL server to use instead of the local or an
#                      embedded one
#   COSELL_JAVA_OPTIONS JVM options of the broker, each service and each simulator; {service} becomes its name
#                      (default: -XX:TieredStopAtLevel=1 for the broker and the services, nothing for the simulators:
#                      nine JVMs share this machine, and the optimising compiler took about as much CPU as the work
#                      itself in a benchmark of a thousand changes; the simulators keep it for their RSA signing.
#                      Set it empty for the JVM's defaults everywhere, or e.g. to
#                      -XX:StartFlightRecording=filename=/tmp/{service}.jfr to profile)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${COSELL_STATE_DIR:-$ROOT/.cosell-local}"
TENANTS="${COSELL_TENANTS:-contoso,fabrikam}"
OFFSET="${COSELL_PORT_OFFSET:-0}"
KAFKA_PORT=$((9092 + OFFSET))
KAFKA_CONTROLLER_PORT=$((9093 + OFFSET))
PG_PORT=$((15432 + OFFSET))
port() { echo $(($1 + OFFSET)); }
# one database per port offset, so a second system on the same PostgreSQL server (the system tests') never
# touches this one's
DATABASE="${COSELL_DATABASE:-cosell$([[ $OFFSET == 0 ]] || echo "_$OFFSET")}"
INSTANCE="${COSELL_INSTANCE:-}"
[[ -z "$INSTANCE" || "$INSTANCE" =~ ^[a-z][a-z0-9-]{0,39}$ ]] ||
  { echo "error: COSELL_INSTANCE must be lower-case letters, digits and dashes: $INSTANCE" >&2; exit 2; }
TOPIC_PREFIX="${INSTANCE:+$INSTANCE.}"; TOPIC_PREFIX="${TOPIC_PREFIX:-cosell.}"
EXTERNAL_KAFKA="${COSELL_KAFKA_BOOTSTRAP:-}"

# Before anything starts or changes: every port this system will listen on must be free. A port that answers
# belongs to another system (a run command already running with this offset) or to another program.
PORTS=()
[[ -n "$EXTERNAL_KAFKA" ]] || PORTS+=("$KAFKA_PORT:Kafka broker" "$KAFKA_CONTROLLER_PORT:Kafka controller")
PORTS+=("$PG_PORT:embedded PostgreSQL" "$(port 8080):ingress-service" "$(port 8088):its public webhook port"
  "$(port 8081):mapper-service"
  "$(port 8082):salesforce-writer" "$(port 8083):partnercenter-writer" "$(port 8090):Partner Center simulator"
  "$(port 8092):its webhook registration API" "$(port 8091):Salesforce simulator"
  "$(port 7443):its TLS and Pub/Sub API")
busy=()
for entry in "${PORTS[@]}"; do
  (echo >"/dev/tcp/127.0.0.1/${entry%%:*}") 2>/dev/null && busy+=("${entry%%:*} (${entry#*:})")
done
if ((${#busy[@]} > 0)); then
  {
    echo "error: these ports are already in use: $(IFS=,; echo "${busy[*]}" | sed 's/,/, /g')"
    echo "Another co-sell sync (or another program) holds them; nothing was started or changed."
    echo "To run a second system beside it, move all its ports (and its database) by an offset, e.g.:"
    echo "  COSELL_PORT_OFFSET=100 COSELL_STATE_DIR=/tmp/cosell-second deploy/local/run.sh"
  } >&2
  exit 2
fi

mkdir -p "$STATE/logs"
# one run command per state directory: a second one would overwrite the first one's process list and files
exec 9>>"$STATE/run.lock"
flock -n 9 || { echo "error: another run command is using the state directory $STATE; stop it first, or give this one its own (COSELL_STATE_DIR) and ports (COSELL_PORT_OFFSET)" >&2; exit 2; }

PIDS=()
APPS_FROM=1000 # where the applications begin in PIDS (set when they start; until then all is infrastructure)
stopping=0
# alive and not a zombie waiting to be reaped (kill -0 succeeds on those)
running() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]; }
stop_all() {
  [[ $stopping == 1 ]] && return
  stopping=1
  echo "stopping ${#PIDS[@]} processes ..."
  # the applications first, while the broker and the database still answer (their clients close cleanly and
  # fast), then the broker and the database; whatever is left after a phase's deadline is killed
  stop_phase 20 "${PIDS[@]:$APPS_FROM}"
  stop_phase 15 "${PIDS[@]:0:$APPS_FROM}"
  rm -f "$STATE/pids"
  echo "stopped"
}
stop_phase() { # seconds pid...
  local deadline=$((SECONDS + $1)) pid left i
  shift
  local pids=("$@")
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  while ((SECONDS < deadline)); do
    left=0
    for pid in "${pids[@]}"; do
      if running "$pid"; then left=1; fi
    done
    if ((left == 0)); then break; fi
    sleep 0.2
  done
  for pid in "${pids[@]}"; do
    if running "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  # reap them: a killed process lingers (a zombie) until its parent waits for it, and "stopped" means gone
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

started() { PIDS+=("$1"); echo "$1" >>"$STATE/pids"; }
: >"$STATE/pids"

wait_for_port() { # name port seconds
  for _ in $(seq 1 $(($3 * 5))); do
    (echo >"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "error: $1 did not open port $2 within $3 s (logs: $STATE/logs)" >&2
  return 1
}

http_status() { # url -> status code, 000 when nothing answers
  local host_port path
  host_port="${1#http://}"; path="/${host_port#*/}"; host_port="${host_port%%/*}"
  { exec 3<>"/dev/tcp/${host_port%:*}/${host_port#*:}"; } 2>/dev/null || { echo 000; return; }
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host_port" >&3
  local line; read -r line <&3 || line=""
  exec 3<&- 3>&-
  echo "$line" | awk '{print $2}'
}

# 1. Build -------------------------------------------------------------------------------------------
cd "$ROOT"
if [[ "${COSELL_SKIP_BUILD:-0}" != 1 ]]; then
  echo "building (./mvnw install -DskipTests) ..."
  ./mvnw -B -q install -DskipTests
fi
if [[ -n "${COSELL_TOOLS_CLASSPATH:-}" ]]; then
  TOOLS_CP="$COSELL_TOOLS_CLASSPATH"
else
  ./mvnw -B -q -pl testing dependency:build-classpath -Dmdep.outputFile="$STATE/tools.classpath" >/dev/null
  TOOLS_CP="$ROOT/testing/target/classes:$ROOT/events/target/classes:$(cat "$STATE/tools.classpath")"
fi
# fetched again when deploy/local/kafka/pom.xml changed since (its checksum is kept beside the jars)
KAFKA_POM_SUM="$(cksum <deploy/local/kafka/pom.xml)"
if [[ ! -d "$STATE/kafka-libs" || "$(cat "$STATE/kafka-libs/.pom-cksum" 2>/dev/null)" != "$KAFKA_POM_SUM" ]]; then
  echo "fetching the Kafka broker jars from Maven Central ..."
  rm -rf "$STATE/kafka-libs"
  ./mvnw -B -q -f deploy/local/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$STATE/kafka-libs"
  echo "$KAFKA_POM_SUM" >"$STATE/kafka-libs/.pom-cksum"
fi
# the tools (topics, database, sign-in, demo data) log through JBoss LogManager, which is on their classpath:
# told so before anything logs, it does not complain that java.util.logging was touched first
TOOL_JAVA=(java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$TOOLS_CP")

# 2. Kafka (KRaft, one combined broker+controller) ----------------------------------------------------
JAVA_OPTIONS="${COSELL_JAVA_OPTIONS--XX:TieredStopAtLevel=1}"
SIMULATOR_JAVA_OPTIONS="${COSELL_JAVA_OPTIONS-}"
if [[ -n "$EXTERNAL_KAFKA" ]]; then
  BOOTSTRAP="$EXTERNAL_KAFKA"
else
  KAFKA_DIR="$STATE/kafka"
  mkdir -p "$KAFKA_DIR"
  cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$STATE/logs/kafka.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=%d %p [%c] %m%n
EOF
  read -r -a KAFKA_OPTIONS <<<"${JAVA_OPTIONS//\{service\}/kafka}"
  KAFKA_JAVA=(java -Xmx512m "${KAFKA_OPTIONS[@]}" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties"
    -cp "$STATE/kafka-libs/*")
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --standalone \
      -t "$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid)" -c "$KAFKA_DIR/server.properties" >/dev/null
  fi
  # kept as a launch file like the services' (below), so a test can restart the broker as it was started
  (umask 077; mkdir -p "$STATE/launch"
    { printf 'exec'; printf ' %q' "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties"; echo; } \
      >"$STATE/launch/kafka.sh")
  bash "$STATE/launch/kafka.sh" >>"$STATE/logs/kafka.log" 2>&1 &
  started $!
  echo $! >"$STATE/launch/kafka.pid"
  wait_for_port kafka "$KAFKA_PORT" 60
  BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
fi
"${TOOL_JAVA[@]}" io.cosellsync.events.TopicProvisioner "$BOOTSTRAP" "$TOPIC_PREFIX"

# 3. PostgreSQL -------------------------------------------------------------------------------------------
rm -f "$STATE/postgres.ready"
# the simulators start empty, so the services' database does too (COSELL_KEEP_DATABASE=1 keeps it); the process
# holds the database (an advisory lock) while this system runs and refuses one another live system holds
# with an instance it shares the database with other instances and starts afresh only its own schemas
"${TOOL_JAVA[@]}" io.cosellsync.testing.local.LocalPostgres "$STATE" "$STATE/postgres.ready" "$DATABASE" "$PG_PORT" \
  "$([[ "${COSELL_KEEP_DATABASE:-}" == 1 ]] && echo keep || echo fresh)" "${INSTANCE:--}" \
  "${COSELL_DATABASE_SERVER:-}" >>"$STATE/logs/postgres.log" 2>&1 &
pg_pid=$!
for _ in $(seq 1 300); do [[ -s "$STATE/postgres.ready" ]] && break; kill -0 $pg_pid 2>/dev/null || break; sleep 0.2; done
[[ -s "$STATE/postgres.ready" ]] || { echo "error: PostgreSQL did not start (logs: $STATE/logs/postgres.log)" >&2; exit 1; }
read -r PG_MODE PG_HOST PG_ACTUAL_PORT _ PG_USER PG_PASSWORD <"$STATE/postgres.ready"
[[ "$PG_MODE" == REFUSED ]] && { echo "error: $(tail -n +2 "$STATE/postgres.ready")" >&2; exit 2; }
[[ "$PG_PASSWORD" == "-" ]] && PG_PASSWORD=""
started $pg_pid

# 4. Simulators and services -------------------------------------------------------------------------
# Ingress signs in to the Partner Center simulator as an operator would (device code flow, through its admin API):
# per tenant the simulator's seeded app registration; the credential key and admin key stay in the state directory.
declare -A PC_CLIENT=([contoso]=3f9e6c1a-0d4b-4e8f-a2c7-5b1d9e3f7a60 [fabrikam]=7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d50)
declare -A PC_ADMIN=([contoso]=integration@contoso.example [fabrikam]=integration@fabrikam-partners.example)
[[ -s "$STATE/credential.key" ]] || (umask 077; head -c 32 /dev/urandom | base64 >"$STATE/credential.key")
[[ -s "$STATE/admin.key" ]] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$STATE/admin.key")
SIGN_INS=""
{
  echo "ingress.partner-center.authority=http://127.0.0.1:$(port 8090)"
  echo "ingress.partner-center.api-url=http://127.0.0.1:$(port 8090)"
  echo "ingress.partner-center.registration-url=http://127.0.0.1:$(port 8092)"
  # webhooks: registered at the simulator for this ingress's public port, signed by the simulator's root (saved
  # at sign-in)
  echo "ingress.webhooks.public-port=$(port 8088)"
  echo "ingress.webhooks.public-url=http://127.0.0.1:$(port 8088)"
  echo "ingress.webhooks.plain-http-certificate-hosts=127.0.0.1"
  echo "ingress.webhooks.trust-anchors=$STATE/partner-center-ca.pem"
  for tenant in ${TENANTS//,/ }; do
    [[ -n "${PC_CLIENT[$tenant]:-}" ]] || { echo "error: the Partner Center simulator has no tenant '$tenant'" >&2; exit 1; }
    echo "ingress.partner-center.tenants.$tenant.directory=$tenant"
    echo "ingress.partner-center.tenants.$tenant.client-id=${PC_CLIENT[$tenant]}"
    SIGN_INS+="${SIGN_INS:+,}$tenant=${PC_ADMIN[$tenant]}"
  done
} >"$STATE/ingress.properties"

# Each tenant's mapping settings (mapping/README.md): the files beside this script, one per tenant.
for tenant in ${TENANTS//,/ }; do
  [[ -f "$ROOT/deploy/local/mappings/$tenant.yaml" ]] ||
    { echo "error: no mapping file deploy/local/mappings/$tenant.yaml for tenant '$tenant'" >&2; exit 1; }
  echo "mapper.tenants.$tenant.mapping=$ROOT/deploy/local/mappings/$tenant.yaml"
done >"$STATE/mapper.properties"

# The partnercenter-writer uses the sign-in ingress stores (ADR 0003): same app registrations and credential key.
{
  echo "partnercenter-writer.partner-center.authority=http://127.0.0.1:$(port 8090)"
  echo "partnercenter-writer.partner-center.api-url=http://127.0.0.1:$(port 8090)"
  for tenant in ${TENANTS//,/ }; do
    echo "partnercenter-writer.partner-center.tenants.$tenant.directory=$tenant"
    echo "partnercenter-writer.partner-center.tenants.$tenant.client-id=${PC_CLIENT[$tenant]}"
    echo "partnercenter-writer.tenants.$tenant.mapping=$ROOT/deploy/local/mappings/$tenant.yaml"
  done
} >"$STATE/partnercenter-writer.properties"

# The writer reaches each tenant's simulated org as it would a real one: My Domain URL and connected app.
declare -A SF_KEY=([contoso]=3MVG9contosoSimConsumerKey0000000000000000000000000000000000000000000000000000001
  [fabrikam]=3MVG9fabrikamSimConsumerKey000000000000000000000000000000000000000000000000000001)
for tenant in ${TENANTS//,/ }; do
  [[ -n "${SF_KEY[$tenant]:-}" ]] || { echo "error: the Salesforce simulator has no org '$tenant'" >&2; exit 1; }
  echo "salesforce.tenants.$tenant.my-domain-url=http://localhost:$(port 8091)"
  echo "salesforce.tenants.$tenant.consumer-key=${SF_KEY[$tenant]}"
  echo "salesforce.tenants.$tenant.consumer-secret=$tenant-consumer-secret"
  # the mapper's file: the Audit field, marks and Referral Identifier for the dead letters' Audit lines
  echo "salesforce.tenants.$tenant.mapping=$ROOT/deploy/local/mappings/$tenant.yaml"
done >"$STATE/salesforce-writer.properties"
# ingress listens to each org's change events over the simulator's Pub/Sub API (TLS, trusting the CA it made)
for tenant in ${TENANTS//,/ }; do
  echo "ingress.salesforce.tenants.$tenant.my-domain-url=http://localhost:$(port 8091)"
  echo "ingress.salesforce.tenants.$tenant.consumer-key=${SF_KEY[$tenant]}"
  echo "ingress.salesforce.tenants.$tenant.consumer-secret=$tenant-consumer-secret"
  echo "ingress.salesforce.tenants.$tenant.pubsub-endpoint=localhost:$(port 7443)"
  echo "ingress.salesforce.tenants.$tenant.pubsub-trust-anchor=$STATE/salesforce-simulator-tls/ca.pem"
  # the mapper's file: which of the org's fields an opportunity snapshot reads
  echo "ingress.salesforce.tenants.$tenant.mapping=$ROOT/deploy/local/mappings/$tenant.yaml"
  [[ ",${COSELL_SALESFORCE_POLLING:-}," == *",$tenant,"* ]] && echo "ingress.salesforce.tenants.$tenant.mode=polling"
done >>"$STATE/ingress.properties"
[[ -n "${COSELL_SALESFORCE_POLLING:-}" ]] && echo "ingress.salesforce.poll-interval=5s" >>"$STATE/ingress.properties"

start_app() { # name module port [stateful]
  local env=(QUARKUS_HTTP_PORT="$3" KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" COSELL_TENANTS="$TENANTS")
  if [[ -n "$INSTANCE" && "$1" != *-simulator ]]; then
    # what two systems on one broker and one database must not share (as the chart sets it per release)
    env+=(COSELL_INSTANCE="$INSTANCE" COSELL_TOPIC_PREFIX="$TOPIC_PREFIX" COSELL_CONSUMER_GROUP_PREFIX="$INSTANCE.")
    local schema="${INSTANCE//-/_}_${2//-/_}"
    [[ "$1" == ingress-service ]] && schema="${INSTANCE//-/_}_ingress"
    [[ "${4:-}" == stateful ]] && env+=(COSELL_DATABASE_SCHEMA="$schema")
    [[ "$1" == partnercenter-writer ]] && env+=(PARTNERCENTER_WRITER_CREDENTIAL_SCHEMA="${INSTANCE//-/_}_ingress")
    [[ "$1" == salesforce-writer ]] && env+=(SALESFORCE_AGREEMENT_SCHEMA="${INSTANCE//-/_}_partnercenter_writer")
  fi
  if [[ "${4:-}" == stateful ]]; then
    env+=(QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_ACTUAL_PORT/$DATABASE"
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_ACTUAL_PORT/$DATABASE"
      QUARKUS_DATASOURCE_USERNAME="$PG_USER" QUARKUS_DATASOURCE_PASSWORD="$PG_PASSWORD")
  fi
  [[ "$1" == partner-center-simulator ]] && env+=(PARTNER_CENTER_SIM_WEBHOOKS_PORT="$(port 8092)")
  # REST and the Pub/Sub API also over TLS, with a CA made on the first start and kept in the state directory
  [[ "$1" == salesforce-simulator ]] && env+=(QUARKUS_HTTP_SSL_PORT="$(port 7443)"
    SALESFORCE_SIM_TLS_DIRECTORY="$STATE/salesforce-simulator-tls")
  [[ "$1" == mapper-service ]] && env+=(QUARKUS_CONFIG_LOCATIONS="$STATE/mapper.properties")
  [[ "$1" == salesforce-writer ]] && env+=(QUARKUS_CONFIG_LOCATIONS="$STATE/salesforce-writer.properties"
    COSELL_ADMIN_API_KEY="$(cat "$STATE/admin.key")")
  [[ "$1" == partnercenter-writer ]] && env+=(QUARKUS_CONFIG_LOCATIONS="$STATE/partnercenter-writer.properties"
    PARTNERCENTER_WRITER_PARTNER_CENTER_CREDENTIAL_KEY="$(cat "$STATE/credential.key")")
  [[ "$1" == ingress-service ]] && env+=(QUARKUS_CONFIG_LOCATIONS="$STATE/ingress.properties"
    INGRESS_PARTNER_CENTER_CREDENTIAL_KEY="$(cat "$STATE/credential.key")"
    COSELL_ADMIN_API_KEY="$(cat "$STATE/admin.key")")
  # the exact command, kept so one service can be restarted by hand (or by a test) as it was started:
  #   bash "$STATE/launch/<name>.sh" >>"$STATE/logs/<name>.log" 2>&1 &    (its process id: $STATE/launch/<name>.pid)
  # the simulators hold every org's and tenant's records in memory (a shared referral is two referrals of ~25 KB
  # as JSON): 1 GB keeps thousands of them; each service needs far less
  local heap=256m
  [[ "$1" == *-simulator ]] && heap=1g
  local options=() chosen="$JAVA_OPTIONS"
  [[ "$1" == *-simulator ]] && chosen="$SIMULATOR_JAVA_OPTIONS"
  read -r -a options <<<"${chosen//\{service\}/$1}"
  (umask 077; mkdir -p "$STATE/launch"
    { printf 'exec env'; printf ' %q' "${env[@]}" java "-Xmx$heap" "${options[@]}" \
        -jar "$ROOT/$2/target/quarkus-app/quarkus-run.jar"
      echo; } >"$STATE/launch/$1.sh")
  bash "$STATE/launch/$1.sh" >>"$STATE/logs/$1.log" 2>&1 &
  started $!
  echo $! >"$STATE/launch/$1.pid"
}
APPS=(partner-center-simulator:simulators/partner-center:$(port 8090): salesforce-simulator:simulators/salesforce:$(port 8091):
  ingress-service:ingress-service:$(port 8080):stateful mapper-service:mapper-service:$(port 8081):
  salesforce-writer:salesforce-writer:$(port 8082):stateful partnercenter-writer:partnercenter-writer:$(port 8083):stateful)
APPS_FROM=${#PIDS[@]}
for app in "${APPS[@]}"; do
  IFS=: read -r name module port kind <<<"$app"
  start_app "$name" "$module" "$port" "$kind"
done
for app in "${APPS[@]}"; do
  IFS=: read -r name _ port _ <<<"$app"; ok=0
  if [[ $name == ingress-service ]]; then
    for _ in $(seq 1 600); do [[ "$(http_status "http://127.0.0.1:$port/q/health/live")" == 200 ]] && break; sleep 0.2; done
    "${TOOL_JAVA[@]}" io.cosellsync.testing.local.OperatorSignIn "http://127.0.0.1:$port" "$(cat "$STATE/admin.key")" \
      "http://127.0.0.1:$(port 8090)" "$SIGN_INS" "$STATE/partner-center-ca.pem" >>"$STATE/logs/sign-in.log" 2>&1 ||
      { echo "error: signing in to the Partner Center simulator failed (log: $STATE/logs/sign-in.log)" >&2; exit 1; }
  fi
  for _ in $(seq 1 600); do
    [[ "$(http_status "http://127.0.0.1:$port/q/health/ready")" == 200 ]] && { ok=1; break; }
    sleep 0.2
  done
  [[ $ok == 1 ]] || { echo "error: $name is not ready after 120 s (log: $STATE/logs/$name.log)" >&2; exit 1; }
done

# 5. Demo data ----------------------------------------------------------------------------------------
# through the simulators as users would: Microsoft shares a referral, a seller syncs an opportunity (per tenant)
"${TOOL_JAVA[@]}" io.cosellsync.testing.local.DemoFeeder "http://127.0.0.1:$(port 8090)" \
  "http://127.0.0.1:$(port 8091)" "$TENANTS" >>"$STATE/logs/demo.log" 2>&1 ||
  { echo "error: the demo data could not be entered (log: $STATE/logs/demo.log)" >&2; exit 1; }
metric_seen() { # port pattern: whether the service's metrics have a line matching the pattern
  local seen=1
  if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    printf 'GET /q/metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    grep -q "$2" <&3 && seen=0
    exec 3<&- 3>&-
  fi
  return $seen
}
flowed=0; referred=0; lettered=0
for _ in $(seq 1 300); do
  [[ $flowed == 1 ]] || { metric_seen "$(port 8082)" '^cosell_salesforce_commands_total{.*result="applied"' && flowed=1; }
  [[ $referred == 1 ]] || { metric_seen "$(port 8083)" \
    '^cosell_partnercenter_commands_total{command="create",.*result="succeeded"' && referred=1; }
  [[ $lettered == 1 ]] || { metric_seen "$(port 8082)" \
    '^cosell_dead_letters_indexed_total{.*service="partnercenter-writer"' && lettered=1; }
  [[ $flowed == 1 && $referred == 1 && $lettered == 1 ]] && break
  sleep 0.2
done

cat <<EOF

co-sell sync is running (tenants: $TENANTS; state and logs: $STATE)
  Kafka broker               $BOOTSTRAP
  PostgreSQL ($PG_MODE)      $PG_HOST:$PG_ACTUAL_PORT/$DATABASE
  Partner Center simulator   http://127.0.0.1:$(port 8090)  (webhook registration API: http://127.0.0.1:$(port 8092))
  Salesforce simulator       http://127.0.0.1:$(port 8091)  (TLS and Pub/Sub: https://localhost:$(port 7443), CA: $STATE/salesforce-simulator-tls/ca.pem)
  ingress-service            http://127.0.0.1:$(port 8080)
  mapper-service             http://127.0.0.1:$(port 8081)
  salesforce-writer          http://127.0.0.1:$(port 8082)
  partnercenter-writer       http://127.0.0.1:$(port 8083)
  (each: /q/health/ready, /q/metrics)
EOF
if [[ $flowed == 1 ]]; then
  echo "demo data: referrals flowed ingress -> mapper-service -> salesforce-writer -> opportunities in the Salesforce simulator (see $STATE/logs/demo.log)"
else
  echo "error: no demo opportunity was written to the Salesforce simulator within 60 s" >&2
  exit 1
fi
if [[ $referred == 1 ]]; then
  echo "demo data: opportunities flowed ingress -> mapper-service -> partnercenter-writer -> referrals in the Partner Center simulator"
else
  echo "error: no demo referral was created in the Partner Center simulator within 60 s" >&2
  exit 1
fi
# each tenant's preflight, as an operator runs it before going live (deploy/salesforce, docs/go-live.md)
CLI=(java -jar "$ROOT/admin-cli/target/quarkus-app/quarkus-run.jar")
for tenant in ${TENANTS//,/ }; do
  if ! "${CLI[@]}" preflight "$tenant" --url "http://127.0.0.1:$(port 8080)" --key-file "$STATE/admin.key" \
      >"$STATE/logs/preflight-$tenant.log" 2>&1; then
    echo "error: tenant $tenant fails its preflight:" >&2
    cat "$STATE/logs/preflight-$tenant.log" >&2
    exit 1
  fi
  echo "preflight: $(head -1 "$STATE/logs/preflight-$tenant.log")"
done
# the demo's dead letter: Partner Center refused one seller's opportunity (Billing Country XX)
DEMO_LETTER="$(grep -o 'demo dead letter: opportunity [^ ]* of [^ ]*' "$STATE/logs/demo.log" | tail -1)"
LETTER_OPPORTUNITY="$(awk '{print $5}' <<<"$DEMO_LETTER")"
LETTER_TENANT="$(awk '{print $7}' <<<"$DEMO_LETTER")"
if [[ $lettered == 1 ]]; then
  ADMIN="java -jar $ROOT/admin-cli/target/quarkus-app/quarkus-run.jar dead-letters"
  ADMIN_OPTIONS="--url http://127.0.0.1:$(port 8082) --key-file $STATE/admin.key"
  cat <<EOF
demo dead letter: Partner Center refused opportunity $LETTER_OPPORTUNITY of $LETTER_TENANT (its account's Billing
  Country 'XX' is no ISO code); its Audit field says so. See the letter, and replay it once the country is fixed:
    $ADMIN list --tenant $LETTER_TENANT $ADMIN_OPTIONS
    $ADMIN replay $LETTER_TENANT --record $LETTER_OPPORTUNITY --dry-run $ADMIN_OPTIONS
EOF
else
  echo "error: the demo's dead letter was not indexed by the salesforce-writer within 60 s" >&2
  exit 1
fi
echo "all healthy"

if [[ "${COSELL_RUN_ONCE:-0}" == 1 ]]; then
  exit 0
fi
echo "press Ctrl-C to stop"
wait
