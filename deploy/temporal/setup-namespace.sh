#!/bin/sh
# ovhflow's namespace and the search attributes its runs are found by (src/shared/search-attributes.ts: the CLI,
# the HTTP API and the Temporal UI filter on them). Idempotent: what exists is kept.
set -eu

: "${TEMPORAL_ADDRESS:?}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
# Keep in step with src/shared/search-attributes.ts (test/deploy/compose.test.ts checks it).
SEARCH_ATTRIBUTES="OvhflowRunType OvhflowStatus OvhflowStep OvhflowService OvhflowDomain OvhflowAccount"

echo "waiting for the Temporal server at $TEMPORAL_ADDRESS"
attempt=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 60 ] || { echo "Temporal did not become healthy" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "namespace $NAMESPACE created (retention $RETENTION)"
fi

# A namespace just created takes a few seconds to reach every server role's cache.
attempt=0
until existing=$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --output json 2>&1); do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 60 ] || { echo "$existing" >&2; exit 1; }
  sleep 1
done
for name in $SEARCH_ATTRIBUTES; do
  if echo "$existing" | grep -q "\"$name\""; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --name "$name" --type Keyword
    echo "search attribute $name created"
  fi
done
