package io.sqspii.sqs;

import io.sqspii.dataset.Definition;

/**
 * The SQS source connector's own verdict on a body (its converter, with the defaults of max.body.bytes and
 * json.max.nesting.depth), so that tests of generated load hold bodies to the contract the pipeline enforces.
 */
public final class ConnectorVerdict {

  private final BodyConverter converter;

  private ConnectorVerdict(BodyConverter converter) {
    this.converter = converter;
  }

  /** The verdicts under a definition's event schema, as its generated source connector config carries it. */
  public static ConnectorVerdict of(Definition definition) throws Exception {
    String schema = definition.schemaJson().toString();
    return new ConnectorVerdict(new BodyConverter(JsonValueSchema.compile(schema), SqsSourceConfig.SQS_MAX_BODY_BYTES,
        32));
  }

  /** Null when the body becomes a record, else the connector's reason for its rejected row. */
  public String rejection(String body) {
    BodyConverter.Outcome outcome = converter.convert(body);
    return outcome.valid() ? null : outcome.rejection().reason();
  }
}
