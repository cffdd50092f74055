package dev.switchboard.client.cli;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws a QR code with Unicode half blocks, two module rows per text line, so it stays roughly
 * square in a terminal whose cells are twice as tall as wide.
 *
 * <p>Light modules are drawn and dark ones left blank, which reads correctly on the usual
 * light-on-dark terminal; on a light background the code comes out inverted, which phone scanners
 * generally accept too.
 */
final class QrTerminalRenderer {

    /** Modules of light border; the spec asks for 4, but phone cameras cope with 2 and terminals are small. */
    static final int QUIET_ZONE = 2;

    private static final char BOTH = '\u2588';
    private static final char UPPER = '\u2580';
    private static final char LOWER = '\u2584';
    private static final char NONE = ' ';

    /** @return the lines of the drawing, all of the same length */
    List<String> render(String text) {
        ByteMatrix matrix = encode(text);
        int size = matrix.getWidth() + 2 * QUIET_ZONE;
        List<String> lines = new ArrayList<>((size + 1) / 2);
        for (int y = 0; y < size; y += 2) {
            StringBuilder line = new StringBuilder(size);
            for (int x = 0; x < size; x++) {
                boolean upper = light(matrix, x, y);
                // An odd-sized code leaves the last line's lower half outside it: leave it blank.
                boolean lower = y + 1 < size && light(matrix, x, y + 1);
                line.append(upper ? (lower ? BOTH : UPPER) : (lower ? LOWER : NONE));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The module matrix without quiet zone; package-visible so tests can compare against it. */
    static ByteMatrix encode(String text) {
        try {
            return Encoder.encode(text, ErrorCorrectionLevel.M, Map.of(EncodeHintType.CHARACTER_SET, "UTF-8"))
                    .getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code for: " + text, e);
        }
    }

    private static boolean light(ByteMatrix matrix, int x, int y) {
        int mx = x - QUIET_ZONE;
        int my = y - QUIET_ZONE;
        boolean inside = mx >= 0 && my >= 0 && mx < matrix.getWidth() && my < matrix.getHeight();
        return !inside || matrix.get(mx, my) != 1;
    }
}
