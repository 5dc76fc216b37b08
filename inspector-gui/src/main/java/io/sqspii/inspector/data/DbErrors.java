package io.sqspii.inspector.data;

import io.sqspii.inspector.model.InspectorException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns JDBC failures into messages an analyst can act on (no stack traces in dialogs). */
final class DbErrors {
    private DbErrors() {}

    static InspectorException translate(SQLException e) {
        return new InspectorException(message(e), e);
    }

    /**
     * A failure of a governance function of roles.sql: its own refusals (bad input 22023, not allowed 42501, budget
     * 54000) say why in words that name datasets, columns, purposes and grants, never a value; PostgreSQL's own
     * "permission denied" and anything else read as {@link #message}.
     */
    static InspectorException governance(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String server = e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage()
                : null;
        if (server != null
                && (state.equals("22023")
                        || state.equals("54000")
                        || state.equals("42501") && !server.startsWith("permission denied"))) {
            return new InspectorException(Character.toUpperCase(server.charAt(0)) + server.substring(1) + ".", e);
        }
        return translate(e);
    }

    static String message(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        switch (state) {
            case "28P01":
                return "Wrong user name or password.";
            case "28000":
                return "The server refused this login (unknown user, or it may not log in to this database).";
            case "3D000":
                return "The database named in the URL does not exist on this server.";
            case "42P01":
                return "A table the inspector needs is missing: apply connect-config/sql/schema.sql to this database.";
            case "42501":
                return "Permission denied: your login lacks the role for this (analyst, pii_reader or pii_auditor).";
            case "57014":
                return "Cancelled.";
            case "53300":
                return "The server has no free connection slot for this login; try again later.";
            default:
                break;
        }
        if (state.startsWith("08")
                || hasCause(e, ConnectException.class)
                || hasCause(e, UnknownHostException.class)
                || hasCause(e, NoRouteToHostException.class)
                || hasCause(e, SocketTimeoutException.class)) {
            if (hasCause(e, UnknownHostException.class)) {
                return "Cannot reach the server: unknown host name in the URL.";
            }
            return "Cannot reach the server: check the host and port in the URL and that PostgreSQL is running.";
        }
        return "Database error" + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")") + ": "
                + firstLine(e.getMessage());
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
