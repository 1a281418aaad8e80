package io.avalonsync.status;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Small inline SVG charts of the last hour for the status page: no script library and nothing fetched, so the page
 * works offline and costs one response. Each minute with a value gets a point with its time and value as a tooltip
 * (the page's script turns the time into local time); the newest value and the totals are also attributes of the
 * {@code <svg>}, for readers that are not people.
 */
final class Charts {

    static final int WIDTH = 240;
    static final int HEIGHT = 44;

    private Charts() {
    }

    /**
     * A line of one value per minute ({@code data-last}: the newest value recorded).
     *
     * @param format how a value reads in the tooltip and the caption (e.g. "3.2 s")
     */
    static String line(String id, String label, List<StatusHistory.Point> points, DoubleFunction<String> format) {
        double max = 0;
        Double last = null;
        for (StatusHistory.Point p : points) {
            if (p.value() != null) {
                max = Math.max(max, p.value());
                last = p.value();
            }
        }
        double top = max <= 0 ? 1 : max;
        double step = (WIDTH - 4.0) / Math.max(1, points.size() - 1);
        StringBuilder svg = open(id, label).append(" data-last=\"").append(last == null ? "" : plain(last)).append("\">");
        svg.append("<title>").append(StatusPage.esc(label)).append("</title>");
        svg.append("<line class=\"axis\" x1=\"0\" y1=\"").append(HEIGHT - 1).append("\" x2=\"").append(WIDTH)
                .append("\" y2=\"").append(HEIGHT - 1).append("\"/>");
        StringBuilder line = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            StatusHistory.Point p = points.get(i);
            if (p.value() == null) {
                // a gap (the service was not running, or nothing was sampled): the line breaks there
                if (line.length() > 0) {
                    svg.append("<polyline points=\"").append(line).append("\"/>");
                    line.setLength(0);
                }
                continue;
            }
            String x = num(2 + i * step);
            String y = num(HEIGHT - 3 - (HEIGHT - 8) * p.value() / top);
            line.append(x).append(',').append(y).append(' ');
            dots.append("<g data-t=\"").append(p.minute()).append("\" data-v=\"").append(StatusPage.esc(format.apply(p.value())))
                    .append("\"><title>").append(minute(p.minute())).append(": ").append(StatusPage.esc(format.apply(p.value())))
                    .append("</title><rect x=\"").append(num(2 + i * step - step / 2)).append("\" y=\"0\" width=\"")
                    .append(num(step)).append("\" height=\"").append(HEIGHT).append("\"/><circle cx=\"").append(x)
                    .append("\" cy=\"").append(y).append("\" r=\"1.6\"/></g>");
        }
        if (line.length() > 0) {
            svg.append("<polyline points=\"").append(line).append("\"/>");
        }
        svg.append(dots).append("</svg>");
        return figure(svg, last == null ? "no samples yet" : "now " + format.apply(last) + " · max " + format.apply(max));
    }

    /**
     * Bars of files and bytes transferred per minute ({@code data-files}, {@code data-bytes}: the hour's totals).
     */
    static String bars(String id, String label, List<StatusHistory.Point> files, List<StatusHistory.Point> bytes) {
        double max = 0;
        long totalFiles = 0;
        long totalBytes = 0;
        for (int i = 0; i < bytes.size(); i++) {
            Double b = bytes.get(i).value();
            Double f = files.get(i).value();
            max = Math.max(max, b == null ? 0 : b);
            totalBytes += b == null ? 0 : Math.round(b);
            totalFiles += f == null ? 0 : Math.round(f);
        }
        double top = max <= 0 ? 1 : max;
        double step = (double) WIDTH / bytes.size();
        StringBuilder svg = open(id, label).append(" data-files=\"").append(totalFiles).append("\" data-bytes=\"")
                .append(totalBytes).append("\">");
        svg.append("<title>").append(StatusPage.esc(label)).append("</title>");
        svg.append("<line class=\"axis\" x1=\"0\" y1=\"").append(HEIGHT - 1).append("\" x2=\"").append(WIDTH)
                .append("\" y2=\"").append(HEIGHT - 1).append("\"/>");
        for (int i = 0; i < bytes.size(); i++) {
            Double b = bytes.get(i).value();
            Double f = files.get(i).value();
            if (b == null && f == null) {
                continue;
            }
            double value = b == null ? 0 : b;
            double h = Math.max(1.5, (HEIGHT - 4) * value / top);
            String text = (f == null ? 0 : Math.round(f)) + " files, " + io.avalonsync.sync.Progress.bytesText(Math.round(value));
            svg.append("<g data-t=\"").append(bytes.get(i).minute()).append("\" data-v=\"").append(StatusPage.esc(text))
                    .append("\"><title>").append(minute(bytes.get(i).minute())).append(": ").append(StatusPage.esc(text))
                    .append("</title><rect class=\"bar\" x=\"").append(num(i * step + 0.5)).append("\" y=\"")
                    .append(num(HEIGHT - 1 - h)).append("\" width=\"").append(num(Math.max(1, step - 1))).append("\" height=\"")
                    .append(num(h)).append("\"/></g>");
        }
        svg.append("</svg>");
        return figure(svg, "last hour: " + totalFiles + " files, " + io.avalonsync.sync.Progress.bytesText(totalBytes));
    }

    private static StringBuilder open(String id, String label) {
        return new StringBuilder(2048).append("<svg id=\"").append(StatusPage.esc(id)).append("\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(StatusPage.esc(label)).append('"');
    }

    private static String figure(StringBuilder svg, String caption) {
        return "<figure class=\"chart\">" + svg + "<figcaption>" + StatusPage.esc(caption) + "</figcaption></figure>";
    }

    /** The minute in UTC; the page's script shows it in local time. */
    private static String minute(Instant at) {
        return at.toString().substring(11, 16) + " UTC";
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A value as data: whole numbers without a fraction, others to 0.1. */
    static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
