package clickseg.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writing a file so that once the call returns it survives a power cut: the bytes are forced to disk before
 * the file is renamed into place, and the directory is forced after, so the rename itself is on disk too.
 * Without both a crash right after "stored" could leave an empty file or no file under the final name.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Writes {@code bytes} to {@code temp}, forces it, renames it to {@code file} and forces the folder. */
    public static void writeAtomically(Path temp, Path file, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.getParent());
    }

    /** Forces a directory's entries to disk (Linux allows opening a directory for this; elsewhere a no-op). */
    public static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not supported on this platform (Windows): the file itself was forced.
        }
    }
}
