#!/usr/bin/env python3
"""Writes the connector configs of the Strimzi and MSK Connect recipes from connect-config/connectors/*.json.

connect-config/connectors/ holds the connectors generated from the dataset definitions (datasets/<name>/, by
`dataset connectors datasets --out connect-config/connectors`): three per dataset, <name>-source, <name>-sink and
<name>-rejected-sink. Each one becomes one Strimzi KafkaConnector and one MSK Connect create-connector request, with
only deployment values changed: the ${env:...} and ${file:...} references of the worker's providers become the
deployment's secrets, config maps and mounted paths (per the rules below, by reference name, so a new dataset or
keyset needs no edit here), and each keyset gets the KMS key. The MSK source connectors' IAM policy is written too:
their queues and the keyset objects they import. Run it after regenerating the connectors:

    python3 deploy/sync-connector-recipes.py

local-pipeline's StrimziRecipeTest and MskConnectRecipeTest fail when a recipe drifts from connect-config/connectors/.
"""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATED = ROOT / "connect-config" / "connectors"
SOURCE_CLASS = "io.sqspii.sqs.SqsSourceConnector"

NAMESPACE = "sqs-pii-connect"
STRIMZI = {
    "env:SQS_QUEUE_URL_BASE": "${configmaps:%s/pipeline-endpoints:sqs.queue.url.base}" % NAMESPACE,
    "env:JDBC_URL": "${configmaps:%s/pipeline-endpoints:jdbc.url}" % NAMESPACE,
    "env:JDBC_USER": "${secrets:%s/pipeline-db:username}" % NAMESPACE,
    "file:/opt/connect/secrets/jdbc.properties:password": "${secrets:%s/pipeline-db:password}" % NAMESPACE,
}
# the pii-keysets Secret, mounted: one file per keyset, as the keys of compose name them
STRIMZI_KEYSET = "/mnt/pii-keysets/pii-%s.json"
STRIMZI_KMS = "${configmaps:%s/pipeline-endpoints:pii.kms.key.uri}" % NAMESPACE

REGION = "eu-west-1"
ACCOUNT = "123456789012"
MSK = {
    "env:SQS_QUEUE_URL_BASE": "https://sqs.%s.amazonaws.com/%s" % (REGION, ACCOUNT),
    "env:JDBC_URL": "${secretsmanager:sqs-pii-connect/pipeline-db:jdbc_url}",
    "env:JDBC_USER": "${secretsmanager:sqs-pii-connect/pipeline-db:username}",
    "file:/opt/connect/secrets/jdbc.properties:password": "${secretsmanager:sqs-pii-connect/pipeline-db:password}",
}
# downloaded from S3 by the s3import config provider to a local file whose path the SMT reads
MSK_KEYSET = "${s3import:%s:sqs-pii-connect-config/keysets/pii-%%s.json}" % REGION
MSK_KMS = "aws-kms://arn:aws:kms:%s:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab" % (REGION, ACCOUNT)
MSK_PLUGIN = {SOURCE_CLASS: "sqs-pii-source", "io.debezium.connector.jdbc.JdbcSinkConnector": "sqs-pii-jdbc-sink"}

REFERENCE = re.compile(r"\$\{((env|file):[^}]*)}")
KEYSET = re.compile(r"env:PII_([A-Z0-9_]+)_KEYSET")


def generated():
    """connect-config/connectors/<name>.json, by name: what compose and the local pipeline register."""
    files = sorted(GENERATED.glob("*.json"))
    if not files:
        raise SystemExit("no connector in %s: dataset connectors datasets --out connect-config/connectors" % GENERATED)
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in files}


def resolve(value, table, keyset, key):
    def one(m):
        ref = m.group(1)
        k = KEYSET.fullmatch(ref)
        if k:
            return keyset % k.group(1).lower()
        if ref not in table:
            raise SystemExit("no deployment value for ${%s} (%s): add it to deploy/sync-connector-recipes.py" % (ref, key))
        return table[ref]
    return REFERENCE.sub(one, value)


def deployed(config, table, keyset, kms):
    out = {}
    for key, value in config.items():
        if key.endswith(".keyset.allow.cleartext"):
            out[key] = "false"  # the dev keysets are clear text; a deployment reads KMS-encrypted ones only
        else:
            out[key] = resolve(value, table, keyset, key)
        if key.endswith(".keyset.file"):
            out[key[: -len(".keyset.file")] + ".keyset.kms.uri"] = kms
    return out


def quoted(value):
    return "'" + value.replace("'", "''") + "'"


def kubernetes_name(connector):
    """A connector name as a Kubernetes object name (RFC 1123: no underscore); Strimzi names the connector so."""
    return connector.replace("_", "-")


def strimzi(connectors):
    lines = [
        "# The connectors of connect-config/connectors/*.json (generated from datasets/: three per dataset) as Strimzi",
        "# KafkaConnector resources: the same keys and values, except where a value depends on the deployment",
        "# (marked). A resource's name is the connector's with '_' as '-' (Kubernetes names allow no underscore);",
        "# Strimzi runs the connector under that name. Written by deploy/sync-connector-recipes.py; local-pipeline's",
        "# StrimziRecipeTest checks that they match connect-config/connectors/ and that every class and key exists in",
        "# the plugins' ConfigDefs. Secrets: ${secrets:<namespace>/<secret>:<key>} and ${configmaps:...} are Strimzi's",
        "# Kubernetes config providers (kafka-connect.yaml); keysets are files mounted from a Secret.",
    ]
    names = [kubernetes_name(n) for n in connectors]
    if len(set(names)) != len(names):
        raise SystemExit("two connectors get the same Kubernetes name: %s" % names)
    for name, committed in connectors.items():
        config = dict(committed)
        connector_class = config.pop("connector.class")
        tasks = config.pop("tasks.max")
        lines += ["---", "apiVersion: kafka.strimzi.io/v1beta2", "kind: KafkaConnector", "metadata:",
                  "  name: " + kubernetes_name(name), "  namespace: " + NAMESPACE, "  labels:",
                  "    strimzi.io/cluster: sqs-pii-connect", "spec:", "  class: " + connector_class,
                  "  tasksMax: " + tasks, "  autoRestart:", "    enabled: true", "  config:"]
        for key, value in deployed(config, STRIMZI, STRIMZI_KEYSET, STRIMZI_KMS).items():
            mark = "  # deployment" if key not in config or config[key] != value else ""
            lines.append("    %s: %s%s" % (key, quoted(value), mark))
    (ROOT / "deploy/strimzi/connectors.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def msk(connectors):
    out = ROOT / "deploy/msk-connect"
    for stale in out.glob("connector-*.json"):
        stale.unlink()
    sources = []
    for name, committed in connectors.items():
        connector_class = committed["connector.class"]
        source = connector_class == SOURCE_CLASS
        config = deployed(committed, MSK, MSK_KEYSET, MSK_KMS)
        if source:
            sources.append(config)
        # the valid rows' sink takes the load; the rejected sink and the source one worker each
        valid_rows_sink = not source and not name.endswith("-rejected-sink")
        request = {
            "connectorName": name,
            "kafkaConnectVersion": "3.7.x",
            "serviceExecutionRoleArn": "arn:aws:iam::%s:role/sqs-pii-connect-%s" % (ACCOUNT, "source" if source else "sink"),
            "plugins": [{"customPlugin": {
                "customPluginArn": "arn:aws:kafkaconnect:%s:%s:custom-plugin/%s/REPLACE-ME"
                                   % (REGION, ACCOUNT, MSK_PLUGIN[connector_class]), "revision": 1}}],
            "workerConfiguration": {
                "workerConfigurationArn":
                    "arn:aws:kafkaconnect:%s:%s:worker-configuration/sqs-pii-connect/REPLACE-ME" % (REGION, ACCOUNT),
                "revision": 1},
            "capacity": {"provisionedCapacity": {"mcuCount": 1, "workerCount": 2 if valid_rows_sink else 1}},
            "kafkaCluster": {"apacheKafkaCluster": {
                "bootstrapServers": "b-1.example.kafka.%s.amazonaws.com:9098" % REGION,
                "vpc": {"subnets": ["subnet-REPLACE-ME"], "securityGroups": ["sg-REPLACE-ME"]}}},
            "kafkaClusterClientAuthentication": {"authenticationType": "IAM"},
            "kafkaClusterEncryptionInTransit": {"encryptionType": "TLS"},
            "logDelivery": {"workerLogDelivery": {"cloudWatchLogs": {
                "enabled": True, "logGroup": "/msk-connect/sqs-pii-connect"}}},
            "connectorConfiguration": config,
        }
        (out / ("connector-%s.json" % name)).write_text(json.dumps(request, indent=2) + "\n", encoding="utf-8")
    source_policy(sources)


def source_policy(sources):
    """The source connectors' execution role: their queues, the keyset key, the keyset objects they import."""
    queues, keys, objects = [], [], []
    for config in sources:
        m = re.fullmatch(r"https://sqs\.([a-z0-9-]+)\.amazonaws\.com/([0-9]+)/([^/]+)", config["sqs.queue.url"])
        if not m:
            raise SystemExit("not an SQS queue URL: %s" % config["sqs.queue.url"])
        queues.append("arn:aws:sqs:%s:%s:%s" % m.groups())
        for key, value in config.items():
            if key.endswith(".keyset.kms.uri"):
                keys.append(value[len("aws-kms://"):])
            objects += ["arn:aws:s3:::" + o for o in re.findall(r"\$\{s3import:[a-z0-9-]+:([^}]+)}", value)]
    unique = lambda xs: sorted(set(xs))
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "SqsQueue", "Effect": "Allow",
         "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
         "Resource": unique(queues)},
        {"Sid": "KeysetKmsKey", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": unique(keys)},
        {"Sid": "KeysetObjectsForTheS3ImportConfigProvider", "Effect": "Allow", "Action": ["s3:GetObject"],
         "Resource": unique(objects)},
    ]}
    path = ROOT / "deploy/msk-connect/iam-source-connector-policy.json"
    path.write_text(json.dumps(policy, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    all_connectors = generated()
    strimzi(all_connectors)
    msk(all_connectors)
    print("wrote deploy/strimzi/connectors.yaml, deploy/msk-connect/connector-*.json and "
          "iam-source-connector-policy.json from %d connectors of connect-config/connectors/" % len(all_connectors))
