package io.sqspii.pii.cli;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.crypto.tink.KeysetHandle;
import io.sqspii.pii.crypto.CipherMode;
import io.sqspii.pii.crypto.PiiCipher;
import io.sqspii.pii.crypto.PiiCryptoException;
import java.util.ArrayList;
import java.util.List;

/**
 * One stored column of ciphertexts: a text column holding one ciphertext, or a jsonb array column holding one at each
 * of its item pointers in every element (several values of one array column are rewritten together, so one update
 * per cell and row). Never puts a value or a plaintext in a message.
 */
final class StoredCell {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String column;
    private final List<JsonPointer> pointers = new ArrayList<>(); // empty: a text column
    private final List<PiiCipher> ciphers = new ArrayList<>();

    private StoredCell(String column) {
        this.column = column;
    }

    /** The cells of {@code values}, one per column, in first-seen order. */
    static List<StoredCell> of(KeysetHandle keyset, CipherMode mode, List<EncryptedColumn> values) {
        List<StoredCell> cells = new ArrayList<>();
        for (EncryptedColumn v : values) {
            StoredCell cell = cells.stream()
                    .filter(c -> c.column.equals(v.column()))
                    .findFirst()
                    .orElse(null);
            if (cell == null) {
                cell = new StoredCell(v.column());
                cells.add(cell);
            } else if (!v.inArray() || cell.pointers.isEmpty()) {
                throw new IllegalArgumentException(
                        "column " + v.column() + " is named twice (a text column holds one " + "value)");
            }
            if (v.inArray()) {
                cell.pointers.add(JsonPointer.compile(v.itemPointer()));
            }
            cell.ciphers.add(PiiCipher.withConstantAssociatedData(keyset, mode, v.associatedData()));
        }
        return cells;
    }

    /** A cell whose key ids are counted only (retire): no keyset needed. {@code itemPointers} empty: a text column. */
    static StoredCell forCounting(String column, List<String> itemPointers) {
        StoredCell cell = new StoredCell(SqlName.column(column));
        itemPointers.forEach(p -> cell.pointers.add(JsonPointer.compile(p)));
        return cell;
    }

    boolean json() {
        return !pointers.isEmpty();
    }

    /** A stored cell that a rewrite or a key-id count cannot read (not ciphertext, not the jsonb the catalog says). */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable() {
            super("not a value this keyset decrypts");
        }
    }

    /**
     * The cell with every value not on {@code primaryKeyId} re-encrypted to it, or null when none is off it; with
     * {@code encrypt} false only decrypts (the check) and returns null.
     */
    String reencrypt(String stored, int primaryKeyId, boolean encrypt) throws Unreadable {
        try {
            if (!json()) {
                return onKey(stored, primaryKeyId) ? null : convert(ciphers.get(0), stored, encrypt);
            }
            JsonNode array = JSON.readTree(stored);
            if (!array.isArray()) {
                throw new Unreadable();
            }
            boolean changed = false;
            for (int i = 0; i < array.size(); i++) {
                for (int p = 0; p < pointers.size(); p++) {
                    JsonNode value = array.get(i).at(pointers.get(p));
                    if (!value.isTextual() || onKey(value.asText(), primaryKeyId)) {
                        continue; // null, missing (a null element or leaf stays null), or already rewritten
                    }
                    String fresh = convert(ciphers.get(p), value.asText(), encrypt);
                    if (encrypt) {
                        set((ArrayNode) array, i, pointers.get(p), fresh);
                        changed = true;
                    }
                }
            }
            return changed ? JSON.writeValueAsString(array) : null;
        } catch (JsonProcessingException | PiiCryptoException e) {
            throw new Unreadable();
        }
    }

    /** The key ids of the cell's ciphertexts (null for a value without a Tink key-id prefix). */
    List<Integer> keyIds(String stored) throws Unreadable {
        if (!json()) {
            return java.util.Collections.singletonList(PiiCipher.keyIdOf(stored));
        }
        List<Integer> ids = new ArrayList<>();
        try {
            JsonNode array = JSON.readTree(stored);
            if (!array.isArray()) {
                throw new Unreadable();
            }
            for (JsonNode element : array) {
                for (JsonPointer p : pointers) {
                    JsonNode value = element.at(p);
                    if (value.isTextual()) {
                        ids.add(PiiCipher.keyIdOf(value.asText()));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new Unreadable();
        }
        return ids;
    }

    private static boolean onKey(String ciphertext, int keyId) {
        Integer id = PiiCipher.keyIdOf(ciphertext);
        return id != null && id == keyId;
    }

    /** The associated data is the cipher's constant, so the field name passed is not used. */
    private String convert(PiiCipher cipher, String ciphertext, boolean encrypt) {
        String plain = cipher.decrypt(column, ciphertext);
        return encrypt ? cipher.encrypt(column, plain) : null;
    }

    private static void set(ArrayNode array, int index, JsonPointer pointer, String fresh) {
        if (pointer.matches()) { // "": the element itself
            array.set(index, TextNode.valueOf(fresh));
        } else {
            ((ObjectNode) array.get(index).at(pointer.head()))
                    .put(pointer.last().getMatchingProperty(), fresh);
        }
    }
}
