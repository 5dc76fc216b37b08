package io.sqspii.inspector.model;

/** SQL types the inspector reads, as PostgreSQL's catalog names them; decides how a value is read and bound. */
public enum ColumnType {
    /** text, varchar, char */
    TEXT,
    /** timestamp with time zone */
    TIMESTAMP,
    /** smallint, integer, bigint */
    BIGINT,
    /** numeric, real, double precision */
    NUMERIC,
    BOOLEAN,
    DATE,
    /** json, jsonb: shown as compact JSON text */
    JSON,
    /** any other type (uuid, timestamp without time zone, …): read as its text, bound as an untyped literal */
    OTHER;

    /** The type of a column whose pg_type.typname is {@code typname}. */
    public static ColumnType ofPgType(String typname) {
        return switch (typname) {
            case "text", "varchar", "bpchar", "name", "citext" -> TEXT;
            case "timestamptz" -> TIMESTAMP;
            case "int2", "int4", "int8" -> BIGINT;
            case "numeric", "float4", "float8" -> NUMERIC;
            case "bool" -> BOOLEAN;
            case "date" -> DATE;
            case "json", "jsonb" -> JSON;
            default -> OTHER;
        };
    }

    /** Whether a column of this type can be the sort column (JSON has no order an analyst would want). */
    public boolean sortable() {
        return this != JSON;
    }
}
