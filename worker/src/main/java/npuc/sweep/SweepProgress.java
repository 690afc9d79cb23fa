package npuc.sweep;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a sweep is: points done, failed (not OK and not a clean does-not-fit), running, the rate and the
 * time left. On a terminal a progress bar redrawn in place; otherwise (a log, a CI job) a plain line at
 * each tenth of the way and at least every {@link #LINE_INTERVAL}.
 */
public abstract class SweepProgress implements AutoCloseable {
    static final Duration LINE_INTERVAL = Duration.ofSeconds(15);

    protected final int total;
    protected int done;
    protected int failed;
    protected int running;
    protected final long startNanos = System.nanoTime();

    protected SweepProgress(int total) {
        this.total = total;
    }

    /** A bar on {@code terminal} when there is one, else plain lines to {@code lines}. */
    public static SweepProgress of(int total, boolean onTerminal, PrintStream terminal, PrintWriter lines) {
        return onTerminal ? new Bar(total, terminal) : new Lines(total, lines);
    }

    public final synchronized void started() {
        running++;
        update();
    }

    public final synchronized void finished(PointStatus status) {
        running--;
        done++;
        if (!status.isClean()) {
            failed++;
        }
        update();
    }

    protected abstract void update();

    /** Points per second so far. */
    protected double rate() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }

    protected String counts() {
        return failed + " failed, " + running + " running";
    }

    @Override
    public abstract void close();

    /** The terminal's bar: the library draws bar, count, rate and time left; the counts go beside it. */
    private static final class Bar extends SweepProgress {
        private final ProgressBar bar;

        Bar(int total, PrintStream terminal) {
            super(total);
            bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(total)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" points", 1).showSpeed(new java.text.DecimalFormat("0.0"))
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
        }

        @Override
        protected void update() {
            bar.stepTo(done);
            bar.setExtraMessage(" · " + counts());
        }

        @Override
        public synchronized void close() {
            bar.close();
        }
    }

    /** Plain lines, for output that is not a terminal. */
    private static final class Lines extends SweepProgress {
        private final PrintWriter out;
        private long lastLineNanos = System.nanoTime();
        private int lastTenth;

        Lines(int total, PrintWriter out) {
            super(total);
            this.out = out;
        }

        @Override
        protected void update() {
            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth > lastTenth || System.nanoTime() - lastLineNanos > LINE_INTERVAL.toNanos()) {
                lastTenth = tenth;
                lastLineNanos = System.nanoTime();
                out.println(line());
                out.flush();
            }
        }

        String line() {
            double rate = rate();
            String eta = rate > 0 && done < total ? ", ETA " + duration((total - done) / rate) : "";
            return String.format(Locale.ROOT, "sweep: %d/%d points done (%d%%), %s, %.1f points/s%s", done, total,
                total == 0 ? 100 : done * 100 / total, counts(), rate, eta);
        }

        @Override
        public synchronized void close() {
            out.flush();
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
