#!/usr/bin/env python3
"""Writes the connector configs of the Strimzi and MSK Connect recipes from connect-config/*.json.

connect-config/ is the connectors' source of truth; a recipe changes only deployment values (the
${env:...} and ${file:...} references of the worker's providers become the deployment's secrets, config
maps and mounted paths, per the tables below) and adds the KMS key of each keyset. Run it after changing a connector JSON:

    python3 deploy/sync-connector-recipes.py

local-pipeline's StrimziRecipeTest and MskConnectRecipeTest fail when a recipe drifts from connect-config/.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONNECTORS = ["sqs-source", "postgres-sink", "rejected-sink"]

NAMESPACE = "sqs-pii-connect"
STRIMZI = {
    "${env:SQS_QUEUE_URL}": "${configmaps:%s/pipeline-endpoints:sqs.queue.url}" % NAMESPACE,
    "${env:VALUE_SCHEMA_FILE}": "/mnt/pipeline-schemas/user-login.schema.json",
    "${env:PII_DETERMINISTIC_KEYSET}": "/mnt/pii-keysets/pii-deterministic.json",
    "${env:PII_RANDOMIZED_KEYSET}": "/mnt/pii-keysets/pii-randomized.json",
    "${env:JDBC_URL}": "${configmaps:%s/pipeline-endpoints:jdbc.url}" % NAMESPACE,
    "${env:JDBC_USER}": "${secrets:%s/pipeline-db:username}" % NAMESPACE,
    "${file:/opt/connect/secrets/jdbc.properties:password}": "${secrets:%s/pipeline-db:password}" % NAMESPACE,
}
STRIMZI_KMS = "${configmaps:%s/pipeline-endpoints:pii.kms.key.uri}" % NAMESPACE

MSK = {
    "${env:SQS_QUEUE_URL}": "https://sqs.eu-west-1.amazonaws.com/123456789012/login-queue",
    "${env:VALUE_SCHEMA_FILE}": "${s3import:eu-west-1:sqs-pii-connect-config/schemas/user-login.schema.json}",
    "${env:PII_DETERMINISTIC_KEYSET}": "${s3import:eu-west-1:sqs-pii-connect-config/keysets/pii-deterministic.json}",
    "${env:PII_RANDOMIZED_KEYSET}": "${s3import:eu-west-1:sqs-pii-connect-config/keysets/pii-randomized.json}",
    "${env:JDBC_URL}": "${secretsmanager:sqs-pii-connect/pipeline-db:jdbc_url}",
    "${env:JDBC_USER}": "${secretsmanager:sqs-pii-connect/pipeline-db:username}",
    "${file:/opt/connect/secrets/jdbc.properties:password}": "${secretsmanager:sqs-pii-connect/pipeline-db:password}",
}
MSK_KMS = "aws-kms://arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MSK_PLUGIN = {"sqs-source": "sqs-pii-source", "postgres-sink": "sqs-pii-jdbc-sink", "rejected-sink": "sqs-pii-jdbc-sink"}


def committed(name):
    return json.loads((ROOT / "connect-config" / (name + ".json")).read_text(encoding="utf-8"))


def deployed(config, table, kms):
    out = {}
    for key, value in config.items():
        if key.endswith(".keyset.allow.cleartext"):
            out[key] = "false"  # the dev keysets are clear text; a deployment reads KMS-encrypted ones only
        elif value.startswith("${env:") or value.startswith("${file:"):
            if value not in table:
                raise SystemExit("no deployment value for %s (%s): add it to deploy/sync-connector-recipes.py" % (value, key))
            out[key] = table[value]
        else:
            out[key] = value
        if key.endswith(".keyset.file"):
            out[key[: -len(".keyset.file")] + ".keyset.kms.uri"] = kms
    return out


def quoted(value):
    return "'" + value.replace("'", "''") + "'"


def strimzi():
    lines = [
        "# The three connectors of connect-config/*.json as Strimzi KafkaConnector resources: the same keys and",
        "# values, except where a value depends on the deployment (marked). Written by",
        "# deploy/sync-connector-recipes.py; local-pipeline's StrimziRecipeTest checks that they match",
        "# connect-config/ and that every class and key exists in the plugins' ConfigDefs.",
        "# Secrets: ${secrets:<namespace>/<secret>:<key>} and ${configmaps:...} are Strimzi's Kubernetes config",
        "# providers (kafka-connect.yaml); keysets and the schema are files mounted from a Secret and a ConfigMap.",
    ]
    for name in CONNECTORS:
        config = committed(name)
        connector_class = config.pop("connector.class")
        tasks = config.pop("tasks.max")
        lines += ["---", "apiVersion: kafka.strimzi.io/v1beta2", "kind: KafkaConnector", "metadata:",
                  "  name: " + name, "  namespace: " + NAMESPACE, "  labels:",
                  "    strimzi.io/cluster: sqs-pii-connect", "spec:", "  class: " + connector_class,
                  "  tasksMax: " + tasks, "  autoRestart:", "    enabled: true", "  config:"]
        original = config
        for key, value in deployed(config, STRIMZI, STRIMZI_KMS).items():
            mark = "  # deployment" if key not in original or original[key] != value else ""
            lines.append("    %s: %s%s" % (key, quoted(value), mark))
    (ROOT / "deploy/strimzi/connectors.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def msk():
    for name in CONNECTORS:
        request = {
            "connectorName": name,
            "kafkaConnectVersion": "3.7.x",
            "serviceExecutionRoleArn": "arn:aws:iam::123456789012:role/sqs-pii-connect-%s"
                                       % ("source" if name == "sqs-source" else "sink"),
            "plugins": [{"customPlugin": {
                "customPluginArn": "arn:aws:kafkaconnect:eu-west-1:123456789012:custom-plugin/%s/REPLACE-ME"
                                   % MSK_PLUGIN[name], "revision": 1}}],
            "workerConfiguration": {
                "workerConfigurationArn":
                    "arn:aws:kafkaconnect:eu-west-1:123456789012:worker-configuration/sqs-pii-connect/REPLACE-ME",
                "revision": 1},
            "capacity": {"provisionedCapacity": {"mcuCount": 1, "workerCount": 2 if name == "postgres-sink" else 1}},
            "kafkaCluster": {"apacheKafkaCluster": {
                "bootstrapServers": "b-1.example.kafka.eu-west-1.amazonaws.com:9098",
                "vpc": {"subnets": ["subnet-REPLACE-ME"], "securityGroups": ["sg-REPLACE-ME"]}}},
            "kafkaClusterClientAuthentication": {"authenticationType": "IAM"},
            "kafkaClusterEncryptionInTransit": {"encryptionType": "TLS"},
            "logDelivery": {"workerLogDelivery": {"cloudWatchLogs": {
                "enabled": True, "logGroup": "/msk-connect/sqs-pii-connect"}}},
            "connectorConfiguration": deployed(committed(name), MSK, MSK_KMS),
        }
        path = ROOT / "deploy/msk-connect" / ("connector-%s.json" % name)
        path.write_text(json.dumps(request, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    strimzi()
    msk()
    print("wrote deploy/strimzi/connectors.yaml and deploy/msk-connect/connector-*.json from connect-config/")
