package io.tqserver.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the Linux process table under {@code /proc}: whether a process still runs, which TCP
 * addresses it listens on, and which processes carry a given environment variable. Processes
 * that exit while being read count as gone.
 */
final class ProcessTable {

    private static final Path PROC = Path.of("/proc");
    private static final String TCP_LISTEN = "0A";

    private ProcessTable() {
    }

    /**
     * Returns whether {@code pid} is a running process. A zombie, which has exited but was not
     * reaped yet, does not count.
     */
    static boolean isRunning(long pid) {
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return false;
        }
        // The command name in brackets may contain spaces, so the state follows the last ')'.
        int end = stat.lastIndexOf(')');
        if (end < 0 || end + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(end + 2);
        return state != 'Z' && state != 'X';
    }

    /**
     * Returns the running processes whose environment contains {@code name=value}, other than this
     * JVM. Every worker that TQServer starts has {@code TQSERVER_PID} set to the daemon's pid,
     * so this finds a daemon's workers even after they were re-parented.
     */
    static List<Long> processesWithEnvironment(String name, String value) throws IOException {
        byte[] entry = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path folder : entries) {
                long pid = Long.parseLong(folder.getFileName().toString());
                if (pid != self && hasEnvironmentEntry(folder, entry) && isRunning(pid)) {
                    found.add(pid);
                }
            }
        }
        return found;
    }

    /** Returns the TCP addresses that {@code pid} listens on, IPv4-mapped ones as IPv4. */
    static List<InetSocketAddress> listeningAddresses(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<InetSocketAddress> addresses = new ArrayList<>();
        addListeners(PROC.resolve("net/tcp"), inodes, addresses);
        addListeners(PROC.resolve("net/tcp6"), inodes, addresses);
        return addresses;
    }

    private static boolean hasEnvironmentEntry(Path processFolder, byte[] entry) {
        byte[] environment;
        try {
            environment = Files.readAllBytes(processFolder.resolve("environ"));
        } catch (IOException e) {
            // The process exited or belongs to a user whose environment is hidden from us.
            return false;
        }
        int start = 0;
        for (int i = 0; i <= environment.length; i++) {
            if (i == environment.length || environment[i] == 0) {
                if (i - start == entry.length && regionEquals(environment, start, entry)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** Returns the inode numbers of the sockets that {@code pid} has open. */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        Path fds = PROC.resolve(Long.toString(pid)).resolve("fd");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        return inodes;
    }

    /**
     * Adds the listening sockets of {@code table} whose inode is in {@code inodes}. Each line of
     * {@code /proc/net/tcp} and {@code tcp6} reads {@code sl local rem st ... uid timeout inode},
     * with the local address as hex words in host byte order and the port in hex.
     */
    private static void addListeners(Path table, Set<String> inodes,
            List<InetSocketAddress> addresses) throws IOException {
        if (!Files.exists(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !fields[3].equals(TCP_LISTEN)
                    || !inodes.contains(fields[9])) {
                continue;
            }
            String[] local = fields[1].split(":");
            addresses.add(new InetSocketAddress(
                    decodeAddress(local[0]), Integer.parseInt(local[1], 16)));
        }
    }

    /** Decodes an address of 4 or 16 bytes written as little-endian 32-bit hex words. */
    static InetAddress decodeAddress(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int position = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(
                        hex.substring(position, position + 2), 16);
            }
        }
        // getByAddress turns an IPv4-mapped IPv6 address into its IPv4 form.
        return InetAddress.getByAddress(bytes);
    }
}
