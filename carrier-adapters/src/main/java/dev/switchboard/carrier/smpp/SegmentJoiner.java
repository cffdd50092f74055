package dev.switchboard.carrier.smpp;

import dev.switchboard.carrier.sms.ReceivedCoding;
import dev.switchboard.carrier.sms.SmsEncoding;
import dev.switchboard.inbox.messages.FragmentStore;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * The text of a reassembled SMS set. The raw payloads of consecutive parts that share a data_coding
 * are joined and decoded once, so an escape sequence or a surrogate pair a peer split across two
 * segments still decodes (for a complete set that agrees on data_coding, which is nearly every set,
 * that is one decode of the whole message). A set whose parts disagree on data_coding is decoded
 * run by run, each with its own. Each part that never arrived becomes a visible
 * {@linkplain #gapMarker gap marker} where it belongs.
 *
 * <p>Each part carries the encoding its path's {@link dev.switchboard.carrier.sms.DataCodingReader}
 * resolved when it arrived, so a set decodes the same way whether it completes on arrival or is
 * delivered by the timeout sweep, which knows nothing of the path's configuration; decoding is
 * {@link ReceivedCoding#decode}, the same as for a single SMS.
 */
public final class SegmentJoiner implements FragmentStore.SetText {

    /** What stands in for a part that never arrived: {@code […missing part 2 of 3…]}. */
    public static String gapMarker(int part, int total) {
        return "[…missing part " + part + " of " + total + "…]";
    }

    @Override
    public String join(int total, List<FragmentStore.Segment> present) {
        List<FragmentStore.Segment> sorted = new ArrayList<>(present);
        sorted.sort(Comparator.comparingInt(FragmentStore.Segment::part));
        StringBuilder text = new StringBuilder();
        List<FragmentStore.Segment> run = new ArrayList<>();
        int next = 1;
        for (FragmentStore.Segment s : sorted) {
            if (s.part() < next) {
                continue;
            }
            if (!run.isEmpty() && (s.part() != next || !sameCoding(run.get(0), s))) {
                text.append(decode(run));
                run.clear();
            }
            for (; next < s.part(); next++) {
                text.append(gapMarker(next, total));
            }
            run.add(s);
            next = s.part() + 1;
        }
        if (!run.isEmpty()) {
            text.append(decode(run));
        }
        for (; next <= total; next++) {
            text.append(gapMarker(next, total));
        }
        return text.toString();
    }

    private static boolean sameCoding(FragmentStore.Segment a, FragmentStore.Segment b) {
        return a.dataCoding() == b.dataCoding() && a.encoding().equals(b.encoding());
    }

    private static String decode(List<FragmentStore.Segment> run) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        run.forEach(s -> joined.writeBytes(s.payload()));
        FragmentStore.Segment first = run.get(0);
        ReceivedCoding coding = new ReceivedCoding(first.dataCoding(), SmsEncoding.valueOf(first.encoding()), OptionalInt.empty());
        return coding.decode(joined.toByteArray());
    }
}
