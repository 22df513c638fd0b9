#!/usr/bin/env bash
# Renders every kustomization under k8s/ (the base, the topics, every overlay) with `kubectl kustomize` and validates
# every manifest:
#   - built-in kinds against the Kubernetes OpenAPI schemas of each version in $KUBERNETES_VERSIONS (kubernetes-validate,
#     strict: unknown fields are errors); by default 1.27.0, the oldest the manifests support (StatefulSet
#     persistentVolumeClaimRetentionPolicy), and 1.37.0, the newest kubernetes-validate knows;
#   - KEDA and Strimzi resources against their CRD schemas, vendored in k8s/schemas/ (plus the ScaledObject's
#     min <= max replica rule, which the CRD states in CEL);
#   - LeadSync's own rules: no ScaledObject may exceed the partition count of its trigger topics (topics/*.yaml),
#     scale-down is stabilised, every role runs non-root with a read-only root filesystem and no privilege
#     escalation, probes /healthz and /readyz, has resources, a grace period, topology spread and a
#     PodDisruptionBudget (maxUnavailable 1), and every ScaledObject targets a workload of the same render, which
#     sets no `replicas` (KEDA owns the count); every KafkaUser allows what its clients do and no more than its
#     matrix forbids; every metric an alert uses is in docs/metrics.md; the ServiceMonitor selects every role;
#     overlays/prod-operations renders production unchanged plus the operator Jobs, whose Kafka user exists.
#   - the optional components (k8s/components/*), each rendered on top of the base.
#
# Installs kubernetes-validate (PyPI) into a virtual environment the first time: $LEADSYNC_K8S_VENV, by default
# ~/.cache/leadsync/k8s-venv. Needs python3 (with venv) and kubectl (or set KUBECTL). Exits 1 when anything fails.
#
#   scripts/validate-k8s.sh
#   KUBERNETES_VERSIONS="1.34.0" scripts/validate-k8s.sh
set -euo pipefail

cd "$(dirname "$0")/.."

KUBERNETES_VERSIONS="${KUBERNETES_VERSIONS:-1.27.0 1.37.0}"
KUBERNETES_VALIDATE_VERSION="1.37.0"
VENV="${LEADSYNC_K8S_VENV:-$HOME/.cache/leadsync/k8s-venv}"
KUBECTL="${KUBECTL:-kubectl}"

if ! command -v "$KUBECTL" >/dev/null 2>&1; then
    echo "validate-k8s: $KUBECTL not found: install kubectl (it renders the kustomizations) or set KUBECTL" >&2
    exit 2
fi

if ! "$VENV/bin/python" -c "import kubernetes_validate, jsonschema, yaml" >/dev/null 2>&1; then
    echo "validate-k8s: installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT

kustomizations=(k8s/base k8s/base/topics)
for overlay in k8s/overlays/*/; do
    kustomizations+=("${overlay%/}")
done
# Each optional component (k8s/components/*) is rendered on top of the base, in a kustomization of its own.
for component in k8s/components/*/; do
    component="${component%/}"
    wrapper="$rendered/wrappers/${component#k8s/}"
    mkdir -p "$wrapper"
    relative="$(python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$PWD/k8s" "$wrapper")"
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - %s/base\n' \
        "$relative" >"$wrapper/kustomization.yaml"
    printf 'components:\n  - %s/%s\n' "$relative" "${component#k8s/}" >>"$wrapper/kustomization.yaml"
    kustomizations+=("$wrapper")
done
for directory in "${kustomizations[@]}"; do
    name="${directory#k8s/}"
    name="${name#"$rendered/wrappers/"}"
    if ! "$KUBECTL" kustomize "$directory" >"$rendered/${name//\//_}.yaml" 2>"$rendered/error"; then
        echo "FAIL $directory: kubectl kustomize: $(cat "$rendered/error")" >&2
        exit 1
    fi
done

"$VENV/bin/python" - "$KUBERNETES_VERSIONS" "$rendered" <<'PYTHON'
import glob
import json
import os
import re
import sys
import warnings

import jsonschema
import kubernetes_validate
import yaml
from kubernetes_validate.utils import SchemaNotFoundError

warnings.filterwarnings("ignore")
versions, rendered = sys.argv[1].split(), sys.argv[2]

schemas = {}
for path in glob.glob("k8s/schemas/*/*.json"):
    group = os.path.basename(os.path.dirname(path))
    kind, api_version = os.path.basename(path)[: -len(".json")].rsplit("_", 1)
    with open(path) as handle:
        schemas[(f"{group}/{api_version}", kind)] = json.load(handle)

partitions = {}
for path in glob.glob("topics/*.yaml"):
    with open(path) as handle:
        definition = yaml.safe_load(handle)
    partitions[definition["name"]] = definition["partitions"]

ROLE_COMPONENTS = {"fold", "writer-marketo", "writer-salesforce"}
passed = failed = 0

with open("docs/metrics.md") as handle:
    # Every metric name in the first column of a table row.
    DOCUMENTED_METRICS = {
        name
        for row in re.findall(r"^\| (`leadsync_[^|]*)\|", handle.read(), re.MULTILINE)
        for name in re.findall(r"leadsync_[a-z_]+", row)
    }

# What each KafkaUser must be allowed (and must not be allowed) to do: resource type -> name -> operations. The
# roles (fold, writers) connect as `leadsync`; the operator Jobs (dlq, reconcile) as `leadsync-operations`.
INPUTS = ["attendee.events", "engagement.events"]
COMMANDS = ["marketo.commands", "salesforce.commands"]
DEAD_LETTERS = ["leadsync.events.dlq", "marketo.commands.dlq", "salesforce.commands.dlq"]
LEDGERS = ["marketo.commands.ledger", "salesforce.commands.ledger"]
RWD = {"Read", "Write", "Describe"}
KAFKA_ACCESS = {
    "leadsync": {
        "needs": {
            "topic": {
                **{topic: {"Read", "Describe"} for topic in INPUTS},
                # The fold writes these and reads them back on restore (the outputs' scan).
                **{topic: RWD for topic in ["leadsync.repartition", "leadsync.state.changelog"] + COMMANDS},
                **{topic: RWD for topic in DEAD_LETTERS},
                # The writers' retry topics.
                **{topic + ".retry": RWD for topic in COMMANDS},
                # The writers' ledgers: order marks, intents and outcomes of calls that append, routed marks; read
                # back per partition when partitions are assigned.
                **{topic: RWD for topic in LEDGERS},
            },
            "group": {
                "leadsync-fold": {"Read", "Describe"},
                "leadsync-fold-restore": {"Read", "Describe"},
                "leadsync-writer-marketo": {"Read", "Describe"},
                "leadsync-writer-salesforce": {"Read", "Describe"},
                # The writers' ledger reader (assigned partitions, the group id only names it).
                "leadsync-ledger-reader": {"Read", "Describe"},
            },
            # {fold.groupId}-{instance id}, the instance id being the pod name.
            "transactionalId": {"leadsync-fold-leadsync-fold-0": {"Write", "Describe"}},
            "cluster": {"kafka-cluster": {"IdempotentWrite"}},
        },
        # No role writes the events platform's inputs.
        "forbidden": {"topic": {topic: {"Write"} for topic in INPUTS}},
    },
    "leadsync-operations": {
        "needs": {
            "topic": {
                **{topic: {"Read", "Describe"} for topic in DEAD_LETTERS + ["leadsync.state.changelog"]},
                # dlq replay publishes to a dead letter's original topic; reconcile --apply to the command topics.
                **{topic: RWD for topic in INPUTS + ["leadsync.repartition"] + COMMANDS},
            },
            "group": {name: {"Read", "Describe"} for name in
                      ["leadsync-dlq-reader", "leadsync-state-all", "leadsync-state-get"]},
            "cluster": {"kafka-cluster": {"IdempotentWrite"}},
        },
        # The Jobs never join a role's group nor use the fold's transactional ids, and never write the changelog or
        # the writers' ledgers.
        "forbidden": {
            "group": {name: {"Read"} for name in
                      ["leadsync-fold", "leadsync-writer-marketo", "leadsync-writer-salesforce"]},
            "transactionalId": {"leadsync-fold-leadsync-fold-0": {"Write"}},
            "topic": {"leadsync.state.changelog": {"Write"}, **{topic: {"Write"} for topic in LEDGERS}},
        },
    },
}


def acl_allows(acls, resource_type, name, operation):
    for acl in acls:
        resource = acl.get("resource", {})
        if resource.get("type") != resource_type or acl.get("type", "allow") != "allow":
            continue
        if resource_type != "cluster":
            pattern = resource.get("name", "")
            if resource.get("patternType", "literal") == "prefix":
                if not name.startswith(pattern):
                    continue
            elif pattern != "*" and pattern != name:
                continue
        if operation in acl.get("operations", []) or "All" in acl.get("operations", []):
            return True
    return False


def kafka_user_rules(document):
    name = document["metadata"]["name"]
    access = KAFKA_ACCESS.get(name)
    if access is None:
        return [f"no access matrix for KafkaUser {name} in scripts/validate-k8s.sh: say what it must be allowed"]
    acls = document["spec"].get("authorization", {}).get("acls", [])
    problems = []
    for resource_type, names in access["needs"].items():
        for resource, operations in names.items():
            for operation in sorted(operations):
                if not acl_allows(acls, resource_type, resource, operation):
                    problems.append(f"ACLs do not allow {operation} on {resource_type} {resource}")
    for resource_type, names in access.get("forbidden", {}).items():
        for resource, operations in names.items():
            for operation in sorted(operations):
                if acl_allows(acls, resource_type, resource, operation):
                    problems.append(f"ACLs allow {operation} on {resource_type} {resource}, which it must not have")
    return problems


def prometheus_rule_rules(document):
    problems = []
    for group in document["spec"].get("groups", []):
        for rule in group.get("rules", []):
            if ("alert" in rule) == ("record" in rule):
                problems.append(f"group {group['name']}: a rule needs exactly one of alert and record")
            for metric in re.findall(r"leadsync_[a-z_]+", str(rule.get("expr", ""))):
                base = re.sub(r"_(bucket|sum|count)$", "", metric)
                if metric not in DOCUMENTED_METRICS and base not in DOCUMENTED_METRICS:
                    problems.append(f"{rule.get('alert', rule.get('record'))}: {metric} is not in docs/metrics.md")
    return problems


def service_monitor_rules(document, render):
    spec = document["spec"]
    selector = spec["selector"]
    problems = []

    def selects(labels):
        if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
            return False
        for expression in selector.get("matchExpressions", []):
            value = labels.get(expression["key"])
            if expression["operator"] == "In" and value not in expression.get("values", []):
                return False
            if expression["operator"] == "NotIn" and value in expression.get("values", []):
                return False
        return True

    services = [
        other for other in render.values()
        if other["kind"] == "Service"
        and other["metadata"].get("labels", {}).get("app.kubernetes.io/component") in ROLE_COMPONENTS
    ]
    ports = {endpoint.get("port") for endpoint in spec.get("endpoints", [])}
    for service in services:
        if not selects(service["metadata"].get("labels", {})):
            problems.append(f"does not select Service {service['metadata']['name']}")
        elif not ports & {port.get("name") for port in service["spec"].get("ports", [])}:
            problems.append(f"scrapes no port of Service {service['metadata']['name']}")
    if not services:
        problems.append("no role Service in this render to scrape")
    return problems


def problems_of_custom_resource(document):
    schema = schemas.get((document["apiVersion"], document["kind"].lower()))
    if schema is None:
        return [f"no schema for {document['apiVersion']} {document['kind']}: add one to k8s/schemas/"]
    validator = jsonschema.Draft7Validator(schema)
    problems = [
        f"{'.'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))
    ]
    if document["kind"] == "ScaledObject":
        spec = document.get("spec", {})
        if spec.get("minReplicaCount", 0) > spec.get("maxReplicaCount", 100):
            problems.append("spec: minReplicaCount must be less than or equal to maxReplicaCount")
    return problems


def leadsync_rules(document, render):
    """LeadSync's deployment rules (issue 7) for one manifest of a render."""
    kind, name = document["kind"], document["metadata"]["name"]
    labels = document["metadata"].get("labels", {})
    problems = []
    if kind == "ScaledObject":
        spec = document["spec"]
        maximum = spec.get("maxReplicaCount", 100)
        for trigger in spec["triggers"]:
            metadata = trigger.get("metadata", {})
            if trigger["type"] != "kafka":
                continue
            topic = metadata.get("topic")
            if topic is None:
                problems.append(f"trigger {trigger.get('name')}: name its topic (the lag of every topic is ambiguous)")
            elif topic in partitions and maximum > partitions[topic]:
                problems.append(f"maxReplicaCount {maximum} exceeds the {partitions[topic]} partitions of {topic}")
            if metadata.get("allowIdleConsumers", "false") != "false":
                problems.append(f"trigger {trigger.get('name')}: allowIdleConsumers lets pods exceed the partitions")
            threshold = metadata.get("lagThreshold")
            if not isinstance(threshold, str) or not threshold.isdigit() or int(threshold) < 1:
                problems.append(f"trigger {trigger.get('name')}: lagThreshold must be a positive integer")
            if "set-by-kustomization" in str(metadata.get("bootstrapServers", "set-by-kustomization")):
                problems.append(f"trigger {trigger.get('name')}: bootstrapServers not replaced from leadsync-kafka")
        scale_down = spec.get("advanced", {}).get("horizontalPodAutoscalerConfig", {}).get("behavior", {})
        if "stabilizationWindowSeconds" not in scale_down.get("scaleDown", {}):
            problems.append("no scale-down stabilisation window")
        target = spec["scaleTargetRef"]
        if (target.get("kind", "Deployment"), target["name"]) not in render:
            problems.append(f"targets {target.get('kind', 'Deployment')} {target['name']}, not in this render")
    if kind in ("StatefulSet", "Deployment"):
        scaled = any(
            other["kind"] == "ScaledObject"
            and other["spec"]["scaleTargetRef"]["name"] == name
            and other["spec"]["scaleTargetRef"].get("kind", "Deployment") == kind
            for other in render.values()
        )
        if scaled and "replicas" in document["spec"]:
            problems.append("sets replicas although a ScaledObject owns the count: every apply would reset it")
    if kind == "KafkaUser":
        problems += kafka_user_rules(document)
    if kind == "PrometheusRule":
        problems += prometheus_rule_rules(document)
    if kind == "ServiceMonitor":
        problems += service_monitor_rules(document, render)
    if kind in ("StatefulSet", "Deployment", "Job") and labels.get("app.kubernetes.io/name") == "leadsync":
        pod = document["spec"]["template"]["spec"]
        if pod.get("securityContext", {}).get("runAsNonRoot") is not True:
            problems.append("pod: securityContext.runAsNonRoot must be true")
        for container in pod["containers"]:
            context = container.get("securityContext", {})
            where = f"container {container['name']}"
            if context.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem must be true")
            if context.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation must be false")
            if "ALL" not in context.get("capabilities", {}).get("drop", []):
                problems.append(f"{where}: capabilities must drop ALL")
            resources = container.get("resources", {})
            if not resources.get("requests") or "memory" not in resources.get("limits", {}):
                problems.append(f"{where}: needs resource requests and a memory limit")
            if labels.get("app.kubernetes.io/component") in ROLE_COMPONENTS:
                liveness = container.get("livenessProbe", {}).get("httpGet", {}).get("path")
                readiness = container.get("readinessProbe", {}).get("httpGet", {}).get("path")
                if liveness != "/healthz" or readiness != "/readyz":
                    problems.append(f"{where}: liveness must probe /healthz and readiness /readyz")
        if labels.get("app.kubernetes.io/component") in ROLE_COMPONENTS:
            if "terminationGracePeriodSeconds" not in pod:
                problems.append("terminationGracePeriodSeconds must match the role's shutdown deadline")
            if not pod.get("topologySpreadConstraints"):
                problems.append("no topologySpreadConstraints")
            selector = document["spec"]["selector"]["matchLabels"]
            budgets = [
                other
                for other in render.values()
                if other["kind"] == "PodDisruptionBudget"
                and other["spec"].get("selector", {}).get("matchLabels") == selector
            ]
            if len(budgets) != 1 or budgets[0]["spec"].get("maxUnavailable") != 1:
                problems.append("needs exactly one PodDisruptionBudget with maxUnavailable 1")
            scalers = [
                other
                for other in render.values()
                if other["kind"] == "ScaledObject" and other["spec"]["scaleTargetRef"]["name"] == name
            ]
            if len(scalers) != 1:
                problems.append("needs exactly one ScaledObject")
    return problems


renders = {}
for path in sorted(glob.glob(os.path.join(rendered, "*.yaml"))):
    render_name = os.path.basename(path)[: -len(".yaml")].replace("_", "/")
    with open(path) as handle:
        documents = [document for document in yaml.safe_load_all(handle) if document]
    renders[render_name] = documents
    render = {(document["kind"], document["metadata"]["name"]): document for document in documents}
    for document in documents:
        label = f"{render_name}: {document['kind']} {document['metadata']['name']}"
        problems = []
        for version in versions:
            try:
                kubernetes_validate.validate(document, version, strict=True)
            except SchemaNotFoundError:
                problems += problems_of_custom_resource(document)
                break
            except kubernetes_validate.ValidationError as error:
                path_text = ".".join(str(part) for part in error.path) or "(root)"
                problems.append(f"Kubernetes {version}: {path_text}: {error.message}")
        problems += leadsync_rules(document, render)
        if problems:
            failed += 1
            for problem in problems:
                print(f"FAIL {label}: {problem}")
        else:
            passed += 1
            print(f"ok   {label}")



def cross_render_problems():
    """Rules between renders: the operator Jobs' overlay is production plus Jobs, and each Job's Kafka user exists."""
    problems = []
    if "overlays/prod-operations" in renders:
        def canonical(documents):
            return sorted(json.dumps(document, sort_keys=True) for document in documents)
        operations = renders["overlays/prod-operations"]
        if canonical([d for d in operations if d["kind"] != "Job"]) != canonical(renders.get("overlays/prod", [])):
            problems.append("overlays/prod-operations: renders more or other than overlays/prod plus its Jobs")
        users = {d["metadata"]["name"] for d in renders.get("overlays/prod-topics", []) if d["kind"] == "KafkaUser"}
        for job in (d for d in operations if d["kind"] == "Job"):
            for container in job["spec"]["template"]["spec"]["containers"]:
                for variable in container.get("env", []):
                    username = variable.get("value")
                    if variable["name"] == "LEADSYNC_KAFKA_PROPERTY_SASL_USERNAME" and username not in users:
                        problems.append(
                            f"overlays/prod-operations: Job {job['metadata']['name']} connects as "
                            f"{variable.get('value')}, no KafkaUser of overlays/prod-topics"
                        )
    return problems


for problem in cross_render_problems():
    failed += 1
    print(f"FAIL {problem}")

print(f"validate-k8s (Kubernetes {', '.join(versions)}): {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PYTHON
