package io.sqspii.dataset;

/**
 * The PII transform's name for a value of an event, from the PII catalog's JSON Pointers (RFC 6901): the pointer to
 * the value, or to its array and from each element to the value. Dotted names with {@code []} for every element of an
 * array: {@code customer.email}, {@code items[].holder_name}, {@code tags[]}. What {@code dataset apply} writes into
 * a source's EncryptFields list, and what the connector policy expects there for a catalog row.
 */
public final class TransformPath {

    private TransformPath() {}

    /** {@code itemPointer}: null for a value outside an array, "" for the elements themselves. */
    public static String of(String jsonPointer, String itemPointer) {
        String path = dotted(jsonPointer);
        return itemPointer == null ? path : path + "[]" + (itemPointer.isEmpty() ? "" : "." + dotted(itemPointer));
    }

    private static String dotted(String pointer) {
        return pointer.isEmpty()
                ? ""
                : String.join(".", pointer.substring(1).split("/", -1))
                        .replace("~1", "/")
                        .replace("~0", "~");
    }
}
