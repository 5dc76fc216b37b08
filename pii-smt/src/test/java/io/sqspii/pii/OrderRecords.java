package io.sqspii.pii;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * An order as the SQS connector makes it from a nested event: nested structs, an array of structs and an array of
 * strings, with {@link #FIELDS} the paths of its PII leaves (also pii-decrypt-smt's tests).
 */
public final class OrderRecords {
    public static final Schema ADDRESS = SchemaBuilder.struct()
            .name("io.sqspii.Address")
            .optional()
            .field(
                    "street",
                    SchemaBuilder.string()
                            .parameter(EncryptFields.MAX_LENGTH, "40")
                            .build())
            .field("city", Schema.STRING_SCHEMA)
            .build();
    public static final Schema CUSTOMER = SchemaBuilder.struct()
            .name("io.sqspii.Customer")
            .optional()
            .field("email", Schema.STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("shipping_address", ADDRESS)
            .build();
    public static final Schema ITEM = SchemaBuilder.struct()
            .name("io.sqspii.Item")
            .optional()
            .field("holder_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sku", Schema.STRING_SCHEMA)
            .build();
    public static final Schema ORDER = SchemaBuilder.struct()
            .name("io.sqspii.Order")
            .field("order_id", Schema.STRING_SCHEMA)
            .field("customer", CUSTOMER)
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .field(
                    "tags",
                    SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA)
                            .optional()
                            .build())
            .build();

    public static final String FIELDS =
            "customer.email,customer.phone,customer.shipping_address.street," + "items[].holder_name,tags[]";

    public static Struct item(String holder, String sku) {
        return new Struct(ITEM).put("holder_name", holder).put("sku", sku);
    }

    public static Struct order(String email, String phone, String street, List<Struct> items, List<String> tags) {
        return new Struct(ORDER)
                .put("order_id", "o-1")
                .put(
                        "customer",
                        new Struct(CUSTOMER)
                                .put("email", email)
                                .put("phone", phone)
                                .put(
                                        "shipping_address",
                                        new Struct(ADDRESS)
                                                .put("street", street)
                                                .put("city", "Bern")))
                .put("items", items)
                .put("tags", tags);
    }

    public static SourceRecord record(Struct value) {
        return new SourceRecord(
                Map.of("queue", "orders"),
                Map.of("id", "m1"),
                "orders",
                null,
                Schema.STRING_SCHEMA,
                "msg-1",
                value.schema(),
                value,
                1_700_000_000_000L);
    }

    private OrderRecords() {}
}
