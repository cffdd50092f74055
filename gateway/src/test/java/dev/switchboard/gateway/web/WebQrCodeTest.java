package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.decoder.Decoder;
import dev.switchboard.gateway.support.TestGateway;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * The page's own QR encoder ({@code /js/core/qr.js}) read back by an independent decoder (zxing):
 * the module matrices of texts from a few bytes up to version 15, and the rendered SVG as Chromium
 * draws it, photographed and decoded like a phone camera would.
 */
class WebQrCodeTest {

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static CorePage page;

    @BeforeAll
    static void openPage() {
        page = CorePage.open(gw);
    }

    @AfterAll
    static void closePage() {
        if (page != null) {
            page.close();
        }
    }

    private static final String LINK_TEXT = "sblink:2:lnk_Qm9vZ2llV29vZ2ll:" + "A".repeat(42) + "E:" + "b".repeat(42)
            + "c:" + "_-".repeat(21) + "Q";

    @Test
    void everyMatrixDecodesToItsTextAtLevelMFromVersionOneToFifteen() throws Exception {
        List<String> texts = List.of("hi", "https://example.org/switchboard", LINK_TEXT,
                "caf\u00e9 \u2603 \uD83D\uDE00 ".repeat(12), "x".repeat(250), "y".repeat(412));
        for (String text : texts) {
            @SuppressWarnings("unchecked")
            List<List<Boolean>> modules = (List<List<Boolean>>) page.run("""
                    const {toModules} = await import('/js/core/qr.js');
                    return toModules(args[0]);
                    """, text);
            int size = modules.size();
            assertEquals(0, (size - 17) % 4, "a QR size is 17 + 4 * version: " + size);
            BitMatrix matrix = new BitMatrix(size);
            for (int y = 0; y < size; y++) {
                assertEquals(size, modules.get(y).size());
                for (int x = 0; x < size; x++) {
                    if (modules.get(y).get(x)) {
                        matrix.set(x, y);
                    }
                }
            }
            DecoderResult decoded = new Decoder().decode(matrix);
            assertEquals(text, decoded.getText(), "version " + (size - 17) / 4);
            assertEquals("M", decoded.getECLevel());
        }
        Map<String, Object> tooLong = page.runExpectingError("""
                const {toModules} = await import('/js/core/qr.js');
                return toModules('z'.repeat(413));
                """);
        assertTrue(String.valueOf(tooLong.get("message")).contains("too long"), String.valueOf(tooLong));
    }

    @Test
    void theRenderedSvgOfALinkCodeReadsBackFromAScreenshot() throws Exception {
        page.run("""
                const {renderSvg} = await import('/js/core/qr.js');
                document.body.replaceChildren();
                const svg = renderSvg(args[0], {label: 'Link code'});
                svg.id = 'qr';
                svg.setAttribute('width', '420');
                svg.setAttribute('height', '420');
                document.body.appendChild(svg);
                """, LINK_TEXT);
        WebElement svg = page.browser().driver().findElement(By.id("qr"));
        assertEquals("Link code", svg.getAttribute("aria-label"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(svg.getScreenshotAs(OutputType.BYTES)));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        Result result = new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
        assertEquals(LINK_TEXT, result.getText());
        assertEquals("M", result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL));
    }
}
