package io.sqspii.testsupport.sqs;

import java.io.IOException;

/**
 * What a {@link SqsForwardingProxy} does to the calls passing through it: wait, answer in the server's place,
 * withhold batch entries, count. The proxy asks its policies in the order given; the first that answers or drops a
 * call in {@link #before} ends that round, and the call is not forwarded.
 */
public interface ProxyPolicy {

    /** A call arrived; it is not yet forwarded. The policy may wait, rewrite it, answer it or drop it. */
    default void before(SqsCall call) throws IOException, InterruptedException {}

    /** The server answered a forwarded call ({@link SqsCall#status()}, {@link SqsCall#response()}). */
    default void after(SqsCall call) throws IOException {}

    /**
     * The call's answer is about to go out, or the call ends without one: once a call, for each policy whose
     * {@link #before} it reached. The client may send its next call right after this, so a count of open calls
     * drops here.
     */
    default void answering(SqsCall call) {}
}
