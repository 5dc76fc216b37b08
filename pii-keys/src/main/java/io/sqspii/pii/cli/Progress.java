package io.sqspii.pii.cli;

import java.io.PrintWriter;

/** A one-line progress bar, redrawn with a carriage return at most a few times a second. */
final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDraw;

    Progress(PrintWriter out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 1);
    }

    void update(long done, long rewritten) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            draw(done, rewritten, now);
        }
    }

    void finish(long done, long rewritten) {
        draw(done, rewritten, System.nanoTime());
        out.println();
        out.flush();
    }

    private void draw(long done, long rewritten, long now) {
        lastDraw = now;
        // the table grows while the pipeline writes: never past 100 %
        int pct = (int) Math.min(100, done * 100 / total);
        int filled = pct * WIDTH / 100;
        double seconds = Math.max((now - started) / 1e9, 1e-3);
        out.printf(
                "\r%s [%s%s] %3d%% %,d/%,d rows, %,d rewritten, %,.0f rows/s ",
                label,
                "#".repeat(filled),
                "-".repeat(WIDTH - filled),
                pct,
                done,
                Math.max(done, total),
                rewritten,
                done / seconds);
        out.flush();
    }
}
