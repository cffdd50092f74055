package dev.switchboard.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class QrTerminalRendererTest {

    private static final String LINK = "sblink:1:lnk_01J0ABCDEFGHJKMNPQRSTVWXYZ:q0Vq6fX9yJk2d8zW3uE4rT5yU6iO7pA8sD9fG0hJ1kL";

    private final QrTerminalRenderer renderer = new QrTerminalRenderer();

    @Test
    void drawsASquareBlockWithTwoModuleRowsPerLine() {
        int modules = QrTerminalRenderer.encode(LINK).getWidth() + 2 * QrTerminalRenderer.QUIET_ZONE;

        List<String> lines = renderer.render(LINK);

        assertEquals((modules + 1) / 2, lines.size());
        for (String line : lines) {
            assertEquals(modules, line.length());
            assertTrue(line.chars().allMatch(c -> " \u2580\u2584\u2588".indexOf(c) >= 0), line);
        }
    }

    @Test
    void quietZoneIsDrawnLight() {
        List<String> lines = renderer.render(LINK);

        assertTrue(lines.get(0).chars().allMatch(c -> c == '\u2588'), "the first two module rows are border");
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertEquals('\u2588', line.charAt(0));
            assertEquals('\u2588', line.charAt(line.length() - 1));
        }
    }

    @Test
    void drawingDecodesBackToTheSameText() throws Exception {
        List<String> lines = renderer.render(LINK);
        ByteMatrix expected = QrTerminalRenderer.encode(LINK);
        int size = expected.getWidth();
        int quiet = QrTerminalRenderer.QUIET_ZONE;

        // Read the half blocks back into modules: a drawn (light) half is a light module.
        BitMatrix modules = new BitMatrix(size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                char cell = lines.get((y + quiet) / 2).charAt(x + quiet);
                boolean upperHalf = (y + quiet) % 2 == 0;
                boolean light = cell == '\u2588' || cell == (upperHalf ? '\u2580' : '\u2584');
                if (!light) {
                    modules.set(x, y);
                }
                assertEquals(expected.get(x, y) == 1, !light, "module " + x + "," + y);
            }
        }

        assertEquals(LINK, new Decoder().decode(modules).getText());
    }

    @Test
    void longerTextGivesABiggerCode() {
        assertTrue(renderer.render(LINK + LINK).size() > renderer.render("sblink:1:a:b").size());
    }
}
