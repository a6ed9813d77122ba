package com.nurture.activities.inbound;

import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.MessageDao;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Which lead an inbound email is from: by the Message-IDs it answers (In-Reply-To, then
 * References) against the messages Nurture sent, else by the sender's address for a known lead.
 */
public final class ReplyMatcher {
  /** The lead, and how it was found ("in-reply-to" or "sender"). */
  public record Match(LeadRecord lead, String by) {}

  private final Jdbi jdbi;

  public ReplyMatcher(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<Match> match(InboundMail mail) {
    MessageDao messages = jdbi.onDemand(MessageDao.class);
    LeadDao leads = jdbi.onDemand(LeadDao.class);
    for (String id : mail.refersTo()) {
      Optional<LeadRecord> lead = messages.leadOfMessage(id).flatMap(leads::find);
      if (lead.isPresent()) {
        return Optional.of(new Match(lead.get(), "in-reply-to"));
      }
    }
    if (!mail.from().isEmpty()) {
      return leads.findByEmail(mail.from()).map(l -> new Match(l, "sender"));
    }
    return Optional.empty();
  }
}
