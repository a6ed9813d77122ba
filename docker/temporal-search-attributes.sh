#!/bin/sh
# Registers the journeys' search attributes on a Temporal namespace (docs/operations.md, "Search
# attributes"). Idempotent: an attribute already registered is left as it is. Reads TEMPORAL_ADDRESS
# and TEMPORAL_NAMESPACE (default "default") like the temporal CLI; waits for the namespace to exist.
set -e
ns="${TEMPORAL_NAMESPACE:-default}"
tries=0
until temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 90 ]; then
    echo "namespace $ns not reachable at ${TEMPORAL_ADDRESS:-localhost:7233}" >&2
    exit 1
  fi
  sleep 2
done
existing=$(temporal operator search-attribute list --namespace "$ns")
for attribute in NurtureStatus=Keyword NurtureProgram=Keyword NurtureProgramVersion=Int NurtureStep=Keyword \
    NurtureScore=Int NurtureOwner=Keyword; do
  name=${attribute%%=*}
  type=${attribute#*=}
  if echo "$existing" | grep -qw "$name"; then
    echo "$name: already registered"
  else
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
  fi
done
