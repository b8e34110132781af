package io.tqserver.build;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbered class folders of a worker's {@code bin/} folder. Each build writes to a new
 * {@code bin/classes-<n>}, so that a failed build never touches the classes that a running
 * instance loads from; {@code bin/classes} is a symbolic link to the latest successful build.
 */
public final class ClassOutputFolders {

    private static final Logger log = LoggerFactory.getLogger(ClassOutputFolders.class);

    private static final Pattern NUMBERED = Pattern.compile("classes-(\\d+)");
    private static final String LATEST_LINK = "classes";

    private ClassOutputFolders() {
    }

    /** Creates the next numbered class folder, one above the highest that exists. */
    public static Path createNext(Path binFolder) throws IOException {
        Files.createDirectories(binFolder);
        long highest = 0;
        for (Path folder : numberedFolders(binFolder)) {
            Matcher matcher = NUMBERED.matcher(folder.getFileName().toString());
            if (matcher.matches()) {
                highest = Math.max(highest, Long.parseLong(matcher.group(1)));
            }
        }
        return Files.createDirectory(binFolder.resolve("classes-" + (highest + 1)));
    }

    /**
     * Points {@code bin/classes} at {@code classesFolder} by renaming a new link over the old one,
     * so readers see either the old or the new target. Leaves {@code bin/classes} alone, with a
     * debug log, when it is a real folder or the file system has no symbolic links.
     */
    public static void linkLatest(Path binFolder, Path classesFolder) {
        Path link = binFolder.resolve(LATEST_LINK);
        Path newLink = binFolder.resolve(LATEST_LINK + ".new");
        try {
            Files.deleteIfExists(newLink);
            Files.createSymbolicLink(newLink, classesFolder.getFileName());
            Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("class folder link not updated link={} target={}", link, classesFolder, e);
            deleteQuietly(newLink);
        }
    }

    /**
     * Deletes every numbered class folder except those in {@code inUse} and the target of
     * {@code bin/classes}.
     */
    public static void prune(Path binFolder, Collection<Path> inUse) {
        Set<Path> keep = new HashSet<>();
        for (Path folder : inUse) {
            keep.add(folder.toAbsolutePath().normalize());
        }
        latestTarget(binFolder).ifPresent(keep::add);
        for (Path folder : numberedFolders(binFolder)) {
            if (!keep.contains(folder.toAbsolutePath().normalize())) {
                deleteQuietly(folder);
            }
        }
    }

    /** Deletes a file or a folder with everything in it, logging at warn what could not go. */
    static void deleteQuietly(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                        throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path folder, IOException failure)
                        throws IOException {
                    Files.delete(folder);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("build output not deleted path={}", path, e);
        }
    }

    private static Optional<Path> latestTarget(Path binFolder) {
        Path link = binFolder.resolve(LATEST_LINK);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            Path target = binFolder.resolve(Files.readSymbolicLink(link));
            return Optional.of(target.toAbsolutePath().normalize());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Path> numberedFolders(Path binFolder) {
        List<Path> folders = new ArrayList<>();
        if (!Files.isDirectory(binFolder)) {
            return folders;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(binFolder)) {
            for (Path entry : entries) {
                if (NUMBERED.matcher(entry.getFileName().toString()).matches()
                        && Files.isDirectory(entry)) {
                    folders.add(entry);
                }
            }
        } catch (IOException e) {
            log.warn("build output folder not listed path={}", binFolder, e);
        }
        return folders;
    }
}
