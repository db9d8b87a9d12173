package hakmem.bench.report;

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
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts, headless. Throughput bars are drawn with java.awt (XChart's error bars are symmetric, and these
 * whiskers show min and max, which are not); time series use XChart.
 */
public final class Charts {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {
    }

    /** One line of a time series chart. */
    public record Series(String name, double[] seconds, double[] values) {
    }

    /** Median ops/s per subject as bars, with a whisker from the slowest to the fastest run. */
    public static void throughput(Path file, String title, List<Summary> subjects) throws IOException {
        int w = 900;
        int h = 520;
        int left = 90;
        int right = 30;
        int top = 60;
        int bottom = 90;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, left, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            double max = 0;
            for (Summary s : subjects) {
                if (!Double.isNaN(s.opsMax())) {
                    max = Math.max(max, s.opsMax());
                }
            }
            double step = niceStep(max / 5);
            double top2 = Math.max(step, Math.ceil(max / step) * step);
            int plotH = h - top - bottom;
            int plotW = w - left - right;
            g.setColor(new Color(0xdddddd));
            for (double v = 0; v <= top2 + step / 2; v += step) {
                int y = top + plotH - (int) Math.round(v / top2 * plotH);
                g.setColor(new Color(0xdddddd));
                g.drawLine(left, y, left + plotW, y);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, "%.0f M", v / 1e6);
                g.drawString(label, left - 10 - g.getFontMetrics().stringWidth(label), y + 4);
            }
            g.setColor(Color.BLACK);
            g.drawLine(left, top, left, top + plotH);
            g.drawLine(left, top + plotH, left + plotW, top + plotH);
            drawRotated(g, "ops/s (median; whiskers: min..max over runs)", 20, top + plotH / 2);
            int n = Math.max(1, subjects.size());
            int slot = plotW / n;
            int bar = Math.min(80, (int) (slot * 0.6));
            for (int i = 0; i < subjects.size(); i++) {
                Summary s = subjects.get(i);
                int cx = left + slot * i + slot / 2;
                String name = s.subject();
                g.setColor(Color.BLACK);
                g.drawString(name, cx - g.getFontMetrics().stringWidth(name) / 2, top + plotH + 18);
                if (Double.isNaN(s.opsMedian())) {
                    g.setColor(Color.RED);
                    String f = "failed";
                    g.drawString(f, cx - g.getFontMetrics().stringWidth(f) / 2, top + plotH - 8);
                    continue;
                }
                int y = top + plotH - (int) Math.round(s.opsMedian() / top2 * plotH);
                g.setColor(PALETTE[i % PALETTE.length]);
                g.fillRect(cx - bar / 2, y, bar, top + plotH - y);
                int yMin = top + plotH - (int) Math.round(s.opsMin() / top2 * plotH);
                int yMax = top + plotH - (int) Math.round(s.opsMax() / top2 * plotH);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(cx, yMin, cx, yMax);
                g.drawLine(cx - 8, yMin, cx + 8, yMin);
                g.drawLine(cx - 8, yMax, cx + 8, yMax);
                String v = String.format(Locale.ROOT, "%.1f M", s.opsMedian() / 1e6);
                g.drawString(v, cx - g.getFontMetrics().stringWidth(v) / 2, Math.min(yMax, y) - 6);
                String runs = s.failed() > 0 ? s.ok() + "/" + s.runs() + " ok" : s.runs() + " runs";
                g.setColor(Color.DARK_GRAY);
                g.drawString(runs, cx - g.getFontMetrics().stringWidth(runs) / 2, top + plotH + 34);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static void drawRotated(Graphics2D g, String text, int x, int y) {
        var old = g.getTransform();
        g.rotate(-Math.PI / 2, x, y);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
        g.setTransform(old);
    }

    static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Lines over time (values in bytes, drawn in MiB). */
    public static void timeSeries(Path file, String title, String yTitle, List<Series> lines) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("seconds")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        int i = 0;
        for (Series s : lines) {
            if (s.seconds().length == 0) {
                continue;
            }
            double[] mib = new double[s.values().length];
            for (int k = 0; k < mib.length; k++) {
                mib[k] = s.values()[k] / (1 << 20);
            }
            XYSeries xy = chart.addSeries(s.name(), s.seconds(), mib);
            xy.setMarker(SeriesMarkers.NONE);
            xy.setLineColor(PALETTE[i++ % PALETTE.length]);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no samples", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** One labelled point of a scatter chart. */
    public record Point(String name, double x, double y) {
    }

    /** Labelled points, one series each (so the legend names every point), from 0 on both axes. */
    public static void scatter(Path file, String title, String xTitle, String yTitle, List<Point> points) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        int i = 0;
        for (Point p : points) {
            XYSeries xy = chart.addSeries(p.name(), new double[] {p.x()}, new double[] {p.y()});
            xy.setMarkerColor(PALETTE[i++ % PALETTE.length]);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no points", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A map of named series to charts, for callers that build them incrementally. */
    public static List<Series> series(Map<String, double[][]> m) {
        return m.entrySet().stream().map(e -> new Series(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
    }
}
