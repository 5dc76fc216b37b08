package io.sqspii.dataset;

/**
 * One {@code x-pii} annotation as written. {@code domain} is null for the dataset's own domain; {@code column} is
 * null for the default stored name ({@code masked_<flattened name>}).
 */
public record PiiAnnotation(PiiMode mode, Canonical canonical, String region, String domain, String column) {}
