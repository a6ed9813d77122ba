package com.nurture.api.dev;

import com.icegreen.greenmail.imap.ImapConstants;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Flags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dev's SMTP capture, bounded: GreenMail keeps every message in the heap (about 9 KB each), so only
 * the newest {@code keep} are held and older ones are dropped; {@link #purge()} empties it. The
 * addresses whose last message is dropped are forgotten too (see {@link #trim()}).
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
        int forgotten = forgetEmptied(touched);
        log.debug("dev mail capture: dropped the {} oldest messages, keeping {}; forgot {} addresses",
            drop.size(), keep, forgotten);
      }
      return drop.size();
    } catch (FolderException e) {
      throw new IllegalStateException("could not trim the dev mail capture", e);
    }
  }

  /**
   * Deletes the GreenMail users (an address and its mailbox) whose mailbox this trim emptied.
   * GreenMail makes one for every new address and keeps it after its last message is gone; it finds
   * an address's mailbox by a scan of all of them, and adds one by copying the list of them, so a
   * capture that kept them cost every email more the more addresses it had seen (a 20,000-lead burst
   * has 20,000). The next email to the address makes its user again; one that lands between the
   * expunge and the delete is dropped with it, which a bounded capture of recent mail can afford.
   */
  private int forgetEmptied(Set<MailFolder> touched) {
    UserManager users = smtp.getUserManager();
    Map<String, GreenMailUser> byInbox = new HashMap<>();
    for (GreenMailUser user : users.listUser()) {
      byInbox.put(inboxName(user), user);
    }
    int forgotten = 0;
    for (MailFolder folder : touched) {
      GreenMailUser owner = folder.getMessageCount() == 0 ? byInbox.get(folder.getFullName()) : null;
      if (owner != null) {
        users.deleteUser(owner);
        forgotten++;
      }
    }
    return forgotten;
  }

  /** A user's inbox's full name, as GreenMail's host manager names it: #mail.USER.INBOX. */
  private static String inboxName(GreenMailUser user) {
    return String.join(ImapConstants.HIERARCHY_DELIMITER, ImapConstants.USER_NAMESPACE,
        user.getQualifiedMailboxName(), ImapConstants.INBOX_NAME);
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
