package io.sqspii.inspector.ui;

import io.sqspii.inspector.model.InspectorException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import javafx.scene.control.DatePicker;
import javafx.util.StringConverter;

/**
 * Date filter fields in UTC days. They show and accept ISO dates (2026-11-27), and also the
 * desktop's short date format; the typed text is what counts, so a date that does not parse is
 * reported instead of silently dropped.
 */
final class DateFields {

    /** A time column's range: from inclusive, until exclusive (the day after "to"); either may be null. */
    record Range(OffsetDateTime from, OffsetDateTime until) {}

    private DateFields() {}

    static DatePicker picker(String id, String prompt) {
        DatePicker p = new DatePicker();
        p.setId(id);
        p.setPromptText(prompt);
        p.setPrefWidth(150);
        p.setConverter(new StringConverter<>() {
            @Override
            public String toString(LocalDate d) {
                return d == null ? "" : DateTimeFormatter.ISO_LOCAL_DATE.format(d);
            }

            @Override
            public LocalDate fromString(String s) {
                try {
                    return parse(s, "date");
                } catch (InspectorException e) {
                    // keep the typed text: the filter reports it when applied
                    return p.getValue();
                }
            }
        });
        return p;
    }

    /** The range two pickers describe, from their typed text. */
    static Range range(DatePicker from, DatePicker to) {
        LocalDate f = parse(from.getEditor().getText(), "“from” date");
        LocalDate t = parse(to.getEditor().getText(), "“to” date");
        if (f != null && t != null && f.isAfter(t)) {
            throw new InspectorException(
                    "The “from” date " + f + " is after the “to” date " + t + ": no row can match.");
        }
        return new Range(startOf(f), startOf(t == null ? null : t.plusDays(1)));
    }

    /** Null for blank text; ISO yyyy-mm-dd or the desktop's short format; else a sentence saying what to type. */
    static LocalDate parse(String text, String what) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException iso) {
            try {
                return LocalDate.parse(s, DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT));
            } catch (DateTimeParseException local) {
                throw new InspectorException(
                        "The " + what + " “" + s + "” is not a date: type it as yyyy-mm-dd, e.g. 2026-11-27.");
            }
        }
    }

    static OffsetDateTime startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
