package com.nurture.api.tracking;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation ({@code 17.0.0.0/8}, {@code 2a01:b747::/32}). */
public record Cidr(String text, byte[] network, int prefix) {

  /** @throws IllegalArgumentException naming the value when it is not a CIDR network of literal addresses */
  public static Cidr parse(String text) {
    String t = text == null ? "" : text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    Optional<InetAddress> ip = literal(address);
    if (ip.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a network; write e.g. 66.102.0.0/20 or 2001:db8::/32");
    }
    byte[] bytes = ip.get().getAddress();
    int max = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0 to " + max + ")");
    }
    return new Cidr(t, bytes, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int shift = a.length * 8 - prefix;
    return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
  }

  /** A literal IPv4 or IPv6 address, never a DNS lookup. */
  public static Optional<InetAddress> literal(String address) {
    String a = address == null ? "" : address.strip();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = a.contains(":") && a.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
    if (v4 && java.util.Arrays.stream(a.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
      return Optional.empty();
    }
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(a));
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
