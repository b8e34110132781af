package io.tqserver.runtime;

import io.tqserver.config.RunMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code bun install} in a Bun worker's folder when its dependencies changed, and skips it
 * otherwise, so that a reload after a source edit costs no install. A SHA-256 stamp in
 * {@code bin/} covers {@code package.json}, the lockfile and whether {@code node_modules}
 * exists, so editing either file or deleting {@code node_modules} runs the install again.
 */
final class BunInstall {

    private static final Logger log = LoggerFactory.getLogger(BunInstall.class);

    /** Stamp file, relative to the worker's folder. */
    static final String STAMP = "bin/bun-install.sha256";

    /** Files whose content decides whether the install runs again, in hashing order. */
    private static final List<String> INPUTS = List.of("package.json", "bun.lock", "bun.lockb");

    /** How long an install may take, downloads included. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Path folder;
    private final RunMode mode;

    BunInstall(Path folder, RunMode mode) {
        this.folder = folder;
        this.mode = mode;
    }

    /**
     * Installs the dependencies unless the stamp matches or the worker has no
     * {@code package.json}.
     *
     * @return {@code null} on success or when nothing had to run, else the install's output
     */
    String installIfChanged(Path bun) {
        if (!Files.isRegularFile(folder.resolve("package.json"))) {
            return null;
        }
        try {
            if (fingerprint().equals(readStamp())) {
                return null;
            }
            BuildCommand install = BuildCommand.run(command(bun), folder, Map.of(), TIMEOUT);
            if (!install.success()) {
                return "bun install failed with status " + install.exitCode() + "\n"
                        + install.output();
            }
            log.info("bun install ran worker_folder={} in {} ms", folder,
                    install.elapsed().toMillis());
            // The install may write the lockfile, so the stamp is taken after it.
            writeStamp(fingerprint());
            return null;
        } catch (IOException e) {
            return "bun install: cannot read or write " + folder.resolve(STAMP) + ": " + e;
        }
    }

    /**
     * Returns the install command. Production keeps the lockfile as it is, so that a
     * {@code package.json} that disagrees with it fails the build instead of upgrading
     * dependencies.
     */
    List<String> command(Path bun) {
        List<String> command = new ArrayList<>(List.of(bun.toString(), "install"));
        boolean locked = Files.exists(folder.resolve("bun.lock"))
                || Files.exists(folder.resolve("bun.lockb"));
        if (mode == RunMode.PROD && locked) {
            command.add("--frozen-lockfile");
        }
        return command;
    }

    /** Hashes each input's name and content, and whether {@code node_modules} exists. */
    String fingerprint() throws IOException {
        MessageDigest digest = sha256();
        for (String name : INPUTS) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                digest.update((name + "\n").getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
        }
        boolean installed = Files.isDirectory(folder.resolve("node_modules"));
        digest.update(("node_modules=" + installed).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private String readStamp() throws IOException {
        Path stamp = folder.resolve(STAMP);
        return Files.isRegularFile(stamp) ? Files.readString(stamp).trim() : "";
    }

    private void writeStamp(String fingerprint) throws IOException {
        Path stamp = folder.resolve(STAMP);
        Files.createDirectories(stamp.getParent());
        Files.writeString(stamp, fingerprint + "\n");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
