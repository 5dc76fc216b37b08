package io.sqspii.reveal;

/**
 * Free text the audit keeps (a reveal's reason): what an auditor reads and exports must look as it is. The same
 * rule as public.pii_audit_text_ok() in roles.sql, checked here for a clear 400 before the database is asked:
 * at most {@link #MAX} characters, no control character (C0, DEL, C1), no character that reorders or breaks the
 * displayed text (bidi marks, embeddings, overrides, isolates; line and paragraph separators), no lone surrogate.
 */
final class AuditText {
    static final int MAX = io.sqspii.reveal.api.RevealApi.MAX_REASON;

    private AuditText() {}

    static boolean ok(String text) {
        if (text.codePointCount(0, text.length()) > MAX) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isISOControl(cp) || isLayoutControl(cp) || Character.isSurrogate((char) cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean isLayoutControl(int cp) {
        return cp == 0x061C
                || cp == 0x200E
                || cp == 0x200F
                || cp == 0x2028
                || cp == 0x2029
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }
}
