package com.nurture.activities.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The zonky PostgreSQL binaries, made to work when the JVM runs as root (as on CI machines and in
 * containers): PostgreSQL's {@code initdb} and {@code pg_ctl} refuse to run as root, and zonky has
 * no option to run them as another user. As root, this resolver hands zonky a copy of the archive
 * in which those two programs are small wrappers that give the data directory to {@code nobody}
 * and re-run the real program as {@code nobody} (setpriv, from util-linux). As any other user the
 * archive is passed through untouched. The copy is made once and cached next to zonky's own.
 */
public final class RootSafePostgresBinaries implements PgBinaryResolver {
  public static final RootSafePostgresBinaries INSTANCE = new RootSafePostgresBinaries();
  private static final Set<String> WRAPPED = Set.of("initdb", "pg_ctl");
  private static final String WRAPPER = """
      #!/bin/sh
      # Written by Nurture: PostgreSQL refuses to run as root, so as root run it as nobody.
      real="$0.real"
      if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
      prev=""
      for a in "$@"; do
        if [ "$prev" = "-D" ]; then mkdir -p "$a" && chown -R 65534:65534 "$a" && chmod 700 "$a"; fi
        prev="$a"
      done
      chmod -R a+rX "$(dirname "$0")/.."
      exec setpriv --reuid=65534 --regid=65534 --clear-groups "$real" "$@"
      """;

  private RootSafePostgresBinaries() {}

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
    if (original == null || !runningAsRoot()) {
      return original;
    }
    byte[] bytes;
    try (original) {
      bytes = original.readAllBytes();
    }
    Path dir = Path.of(System.getProperty("ot.epg.working-dir",
        Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    Path cached = dir.resolve("nurture-rootsafe-" + sha256(bytes) + ".txz");
    if (!Files.exists(cached)) {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "repack", ".txz");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        repack(new ByteArrayInputStream(bytes), out);
      }
      Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return Files.newInputStream(cached);
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void repack(InputStream txz, OutputStream out) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(txz));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options(1)))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        String program = wrappedProgram(entry.getName());
        if (program == null) {
          tar.putArchiveEntry(entry);
          if (entry.isFile()) {
            in.transferTo(tar);
          }
          tar.closeArchiveEntry();
          continue;
        }
        TarArchiveEntry real = new TarArchiveEntry(entry.getName() + ".real");
        real.setMode(0755);
        real.setSize(entry.getSize());
        tar.putArchiveEntry(real);
        in.transferTo(tar);
        tar.closeArchiveEntry();

        byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName());
        wrapper.setMode(0755);
        wrapper.setSize(script.length);
        tar.putArchiveEntry(wrapper);
        tar.write(script);
        tar.closeArchiveEntry();
      }
    }
  }

  private static String wrappedProgram(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name;
    if (!n.startsWith("bin/")) {
      return null;
    }
    String program = n.substring(4);
    return WRAPPED.contains(program) ? program : null;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
