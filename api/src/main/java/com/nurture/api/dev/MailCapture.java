package com.nurture.api.dev;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Flags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dev's SMTP capture, bounded: GreenMail keeps every message in the heap (about 9 KB each), so only
 * the newest {@code keep} are held and older ones are dropped; {@link #purge()} empties it.
 */
public final class MailCapture {
  private static final Logger log = LoggerFactory.getLogger(MailCapture.class);
  private final GreenMail smtp;
  private final int keep;

  public MailCapture(GreenMail smtp, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("dev.mailbox_keep must be at least 1, was " + keep);
    }
    this.smtp = smtp;
    this.keep = keep;
  }

  /** A message held in a folder, as far as retention cares: where it is and its arrival order. */
  record Held(MailFolder folder, long uid, long receivedAtMillis) {}

  /** The messages to drop so that the newest {@code keep} remain: the oldest first (uid breaks ties). */
  static List<Held> beyond(List<Held> held, int keep) {
    if (held.size() <= keep) {
      return List.of();
    }
    return held.stream()
        .sorted(Comparator.comparingLong(Held::receivedAtMillis).thenComparingLong(Held::uid))
        .limit(held.size() - (long) keep)
        .toList();
  }

  /** Drops all but the newest {@code keep} messages; returns how many were dropped. */
  public synchronized int trim() {
    try {
      List<Held> held = new ArrayList<>();
      for (MailFolder folder : smtp.getManagers().getImapHostManager().getStore().listMailboxes("*")) {
        for (StoredMessage m : folder.getNonDeletedMessages()) {
          held.add(new Held(folder, m.getUid(), m.getReceivedDate() == null ? 0 : m.getReceivedDate().getTime()));
        }
      }
      List<Held> drop = beyond(held, keep);
      Set<MailFolder> touched = new HashSet<>();
      for (Held h : drop) {
        h.folder().setFlags(new Flags(Flags.Flag.DELETED), true, h.uid(), null, false);
        touched.add(h.folder());
      }
      for (MailFolder folder : touched) {
        folder.expunge();
      }
      if (!drop.isEmpty()) {
        log.debug("dev mail capture: dropped the {} oldest messages, keeping {}", drop.size(), keep);
      }
      return drop.size();
    } catch (FolderException e) {
      throw new IllegalStateException("could not trim the dev mail capture", e);
    }
  }

  /** Empties the capture. */
  public synchronized void purge() {
    try {
      smtp.purgeEmailFromAllMailboxes();
    } catch (FolderException e) {
      throw new IllegalStateException("could not purge the dev mail capture", e);
    }
  }

  public int keep() {
    return keep;
  }
}
