package dev.switchboard.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliArgsTest {

    @Test
    void globalOptionsMayComeBeforeTheCommand() {
        CliArgs args = CliArgs.parse("--server", "http://gw:8080", "--device-dir", "/tmp/d", "--json", "send", "--to", "+39", "--text", "hi");

        assertEquals(Optional.of("http://gw:8080"), args.server());
        assertEquals(Optional.of("/tmp/d"), args.deviceDir());
        assertTrue(args.json());
        assertEquals(Optional.of("send"), args.command());
        assertEquals(Map.of("to", "+39", "text", "hi"), args.options());
    }

    @Test
    void globalOptionsMayComeAfterTheCommand() {
        CliArgs args = CliArgs.parse("conversations", "--json", "--device-dir", "/tmp/d", "--server", "http://gw:8080");

        assertEquals(Optional.of("conversations"), args.command());
        assertEquals(Optional.of("http://gw:8080"), args.server());
        assertEquals(Optional.of("/tmp/d"), args.deviceDir());
        assertTrue(args.json());
        assertEquals(Map.of(), args.options());
    }

    @Test
    void acceptsNameEqualsValue() {
        CliArgs args = CliArgs.parse("--server=http://gw", "send", "--to=+39", "--text=a=b");

        assertEquals(Optional.of("http://gw"), args.server());
        assertEquals("a=b", args.option("text"));
    }

    @Test
    void positionalsFollowTheCommand() {
        CliArgs args = CliArgs.parse("approve", "sblink:1:abc:key", "--json");

        assertEquals(List.of("sblink:1:abc:key"), args.positionals());
        assertEquals("sblink:1:abc:key", args.positional(0));
    }

    @Test
    void doubleDashEndsOptionsSoTextMayStartWithDashes() {
        CliArgs args = CliArgs.parse("unlink", "--", "--weird-id");

        assertEquals(List.of("--weird-id"), args.positionals());
    }

    @Test
    void helpFlagsAreRecognised() {
        assertTrue(CliArgs.parse("--help").help());
        assertTrue(CliArgs.parse("-h").help());
        assertFalse(CliArgs.parse("token").help());
    }

    @Test
    void optionWithoutValueIsAUsageError() {
        assertThrows(UsageException.class, () -> CliArgs.parse("send", "--to"));
    }

    @Test
    void repeatedOptionIsAUsageError() {
        assertThrows(UsageException.class, () -> CliArgs.parse("send", "--to", "a", "--to", "b"));
    }

    @Test
    void flagWithValueIsAUsageError() {
        assertThrows(UsageException.class, () -> CliArgs.parse("token", "--json=yes"));
    }

    @Test
    void singleDashOptionsOtherThanHelpAreUsageErrors() {
        assertThrows(UsageException.class, () -> CliArgs.parse("token", "-x"));
    }

    @Test
    void historyIsAFlagOfApproveAndNoOtherCommand() {
        CliArgs approve = CliArgs.parse("approve", "--history", "sblink:2:x");

        assertTrue(approve.flag("history"));
        assertEquals(List.of("sblink:2:x"), approve.positionals());
        CommandSpec.named("approve").validate(approve);
        assertThrows(UsageException.class, () -> CliArgs.parse("approve", "--history=yes", "x"));
        assertThrows(UsageException.class, () -> CommandSpec.named("send").validate(CliArgs.parse("send", "--to", "+39", "--text", "t", "--history")));
    }

    @Test
    void sendTakesTextOrFileAndRefusesAnEmptyOne() {
        CommandSpec.named("send").validate(CliArgs.parse("send", "--to", "+39", "--file", "/tmp/x"));
        CommandSpec.named("send").validate(CliArgs.parse("send", "--to", "+39", "--text", "hi"));
        assertThrows(UsageException.class, () -> CommandSpec.named("send").validate(CliArgs.parse("send", "--to", "+39", "--text", " ")));
    }
}
