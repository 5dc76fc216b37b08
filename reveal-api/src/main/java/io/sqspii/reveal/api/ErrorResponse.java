package io.sqspii.reveal.api;

/** Every answer but a 200: a message safe to show and to log (never PII, never a password). */
public record ErrorResponse(String error) {
}
