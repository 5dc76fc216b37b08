package io.sqspii.inspector;

/** SQL types the inspector reads; decides how a cursor value is bound. */
enum ColumnType {
    TEXT,
    TIMESTAMP,
    BIGINT
}
