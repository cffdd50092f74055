package dev.switchboard.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Small files that hold secrets or trust decisions (device state, the trust store): written
 * atomically (a temp file in the same directory, flushed, renamed over the old one, so a crash
 * leaves the old or the new version and never half of one) and created owner-only ({@code rw-------}
 * files in an {@code rwx------} directory) where the filesystem has POSIX permissions.
 */
final class OwnerOnlyFiles {

    private static final String FILE_PERMISSIONS = "rw-------";
    private static final String DIRECTORY_PERMISSIONS = "rwx------";

    private OwnerOnlyFiles() {
    }

    /** Whether {@code dir}, or its closest existing ancestor, lives on a filesystem with POSIX permissions. */
    static boolean posix(Path dir) {
        Path probe = dir.toAbsolutePath().normalize();
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        return probe != null && probe.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The file's text, or {@code null} when it does not exist. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Replaces {@code file} with {@code content} atomically, owner-only; creates its directory (owner-only) if needed. */
    static void write(Path file, String content, boolean posix) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        String name = file.getFileName().toString();
        try {
            createDirectory(dir, posix);
            Path temp = posix
                    ? Files.createTempFile(dir, "." + name, ".tmp", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString(FILE_PERMISSIONS)))
                    : Files.createTempFile(dir, "." + name, ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(StandardCharsets.UTF_8.encode(content));
                    channel.force(true);
                }
                move(temp, file);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createDirectory(Path dir, boolean posix) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIRECTORY_PERMISSIONS))}
                : new FileAttribute<?>[0];
        try {
            // Only the leaf is owner-only; parents created on the way keep the default permissions.
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            Files.createDirectory(dir, ownerOnly);
        } catch (FileAlreadyExistsException raced) {
            // Another process created it first; fine.
        }
    }
}
