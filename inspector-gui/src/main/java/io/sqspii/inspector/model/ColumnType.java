package io.sqspii.inspector.model;

/** SQL types the inspector reads; decides how a cursor value is bound. */
public enum ColumnType {
    TEXT,
    TIMESTAMP,
    BIGINT
}
