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
#     PodDisruptionBudget (maxUnavailable 1), and every ScaledObject targets a workload of the same render.
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
for directory in "${kustomizations[@]}"; do
    name="${directory#k8s/}"
    if ! "$KUBECTL" kustomize "$directory" >"$rendered/${name//\//_}.yaml" 2>"$rendered/error"; then
        echo "FAIL $directory: kubectl kustomize: $(cat "$rendered/error")" >&2
        exit 1
    fi
done

"$VENV/bin/python" - "$KUBERNETES_VERSIONS" "$rendered" <<'PYTHON'
import glob
import json
import os
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
    if kind in ("StatefulSet", "Deployment") and labels.get("app.kubernetes.io/name") == "leadsync":
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


for path in sorted(glob.glob(os.path.join(rendered, "*.yaml"))):
    render_name = os.path.basename(path)[: -len(".yaml")].replace("_", "/")
    with open(path) as handle:
        documents = [document for document in yaml.safe_load_all(handle) if document]
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

print(f"validate-k8s (Kubernetes {', '.join(versions)}): {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PYTHON
