package dev.switchboard.bench.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws an offered-load sweep as a PNG with Java2D (no charting library): on top, achieved
 * throughput against offered load with the baseline as a dashed line; below, latency percentiles
 * on a logarithmic scale against the same axis.
 */
public final class SweepPlot {
    /**
     * One load point. A closed-loop point (senders send as soon as they are answered) is drawn
     * apart, hollow: its latency is mostly its own queue (in flight ÷ rate), not the gateway's.
     */
    public record Point(double offered, double achieved, double p50, double p99, double p999, boolean closedLoop) {}

    private static final int W = 900;
    private static final int H = 740;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final Color P50 = new Color(0x1f77b4);
    private static final Color P99 = new Color(0xff7f0e);
    private static final Color P999 = new Color(0xd62728);

    private SweepPlot() {}

    public static void write(Path file, String title, String unit, List<Point> points, double baseline, String baselineName)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 28);

        double maxX = niceCeiling(points.stream().mapToDouble(Point::offered).max().orElse(1) * 1.05);
        double maxY = niceCeiling(Math.max(points.stream().mapToDouble(Point::achieved).max().orElse(1), baseline) * 1.05);

        // Throughput panel.
        Panel top = new Panel(LEFT, 50, W - LEFT - RIGHT, 280);
        top.frame(g, "offered load (" + unit + ")", "achieved (" + unit + ")");
        for (int i = 0; i <= 5; i++) {
            double v = maxY * i / 5;
            top.yTick(g, top.y(v / maxY), fmt(v));
            top.xTick(g, top.x(maxX * i / 5 / maxX), fmt(maxX * i / 5));
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
        int by = top.y(baseline / maxY);
        g.drawLine(top.x0, by, top.x0 + top.w, by);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("baseline: " + baselineName + " " + fmt(baseline) + " " + unit, top.x0 + 8, by - 6);
        g.setStroke(new BasicStroke(2f));
        series(g, top, points, maxX, p -> p.achieved() / maxY, new Color(0x2ca02c), false);

        // Latency panel, log scale.
        Panel bottom = new Panel(LEFT, 400, W - LEFT - RIGHT, 260);
        bottom.frame(g, "offered load (" + unit + ")", "latency (ms, log)");
        double lo = Math.max(0.1, Math.pow(10, Math.floor(Math.log10(Math.max(0.1,
                points.stream().mapToDouble(Point::p50).filter(v -> v > 0).min().orElse(1))))));
        double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, points.stream().mapToDouble(Point::p999).max().orElse(10)))));
        for (double v = lo; v <= hi * 1.0001; v *= 10) {
            bottom.yTick(g, bottom.y(logFrac(v, lo, hi)), fmt(v));
        }
        for (int i = 0; i <= 5; i++) {
            bottom.xTick(g, bottom.x(maxX * i / 5 / maxX), fmt(maxX * i / 5));
        }
        g.setStroke(new BasicStroke(2f));
        series(g, bottom, points, maxX, p -> logFrac(p.p50(), lo, hi), P50, true);
        series(g, bottom, points, maxX, p -> logFrac(p.p99(), lo, hi), P99, true);
        series(g, bottom, points, maxX, p -> logFrac(p.p999(), lo, hi), P999, true);
        legend(g, bottom.x0, bottom.y0 + bottom.h + 52, new String[] {"p50", "p99", "p99.9"}, new Color[] {P50, P99, P999});
        g.setColor(Color.DARK_GRAY);
        g.drawString("dots: paced share of the maximum; squares: closed loop", bottom.x0 + 260,
                bottom.y0 + bottom.h + 52);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** The smallest 1, 2, 2.5 or 5 times a power of ten at or above {@code v}: round axis ticks. */
    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1))));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static double logFrac(double v, double lo, double hi) {
        double c = Math.max(lo, Math.min(hi, v));
        return (Math.log10(c) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    }

    private static void series(Graphics2D g, Panel p, List<Point> points, double maxX,
                               java.util.function.ToDoubleFunction<Point> frac, Color color, boolean dots) {
        g.setColor(color);
        List<Point> sorted = points.stream().sorted(java.util.Comparator.comparingDouble(Point::offered)).toList();
        int px = -1;
        int py = -1;
        for (Point pt : sorted) {
            int x = p.x(pt.offered() / maxX);
            int y = p.y(frac.applyAsDouble(pt));
            if (pt.closedLoop()) {
                g.drawRect(x - 5, y - 5, 10, 10);
                continue;
            }
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 4, y - 4, 8, 8);
            px = x;
            py = y;
        }
    }

    private static void legend(Graphics2D g, int x, int y, String[] names, Color[] colors) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x + i * 80, y - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + i * 80 + 20, y);
        }
    }

    private static String fmt(double v) {
        if (v >= 100 || v == 0) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A plotting area with its axes. */
    private static final class Panel {
        final int x0;
        final int y0;
        final int w;
        final int h;

        Panel(int x0, int y0, int w, int h) {
            this.x0 = x0;
            this.y0 = y0;
            this.w = w;
            this.h = h;
        }

        int x(double frac) { return x0 + (int) Math.round(frac * w); }

        int y(double frac) { return y0 + h - (int) Math.round(frac * h); }

        void frame(Graphics2D g, String xLabel, String yLabel) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x0, y0, w, h);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(xLabel, x0 + w / 2 - 60, y0 + h + 36);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString(yLabel, -(y0 + h / 2 + 50), x0 - 62);
            r.dispose();
        }

        void yTick(Graphics2D g, int y, String label) {
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, x0 + w - 1, y);
            g.setColor(Color.BLACK);
            g.drawLine(x0 - 4, y, x0, y);
            g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }

        void xTick(Graphics2D g, int x, String label) {
            g.setColor(Color.BLACK);
            g.drawLine(x, y0 + h, x, y0 + h + 4);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, y0 + h + 18);
        }
    }
}
