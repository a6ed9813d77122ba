package com.nurture.activities.inbound;

import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.mail.ReplyAddresses;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Which lead an inbound email is from, first found wins: the Message-IDs it answers (In-Reply-To,
 * then References) against the messages Nurture sent; the opaque Reply-To address of one of them
 * ({@code reply+{token}@...}) among its recipients; the sender's address for a known lead. An
 * unknown or forged token finds nothing and matching goes on to the sender.
 */
public final class ReplyMatcher {
  /** The lead, and how it was found ("in-reply-to", "reply-to" or "sender"). */
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
    for (String recipient : mail.recipients()) {
      Optional<LeadRecord> lead = ReplyAddresses.tokenOf(recipient).flatMap(messages::leadOfReplyToken)
          .flatMap(leads::find);
      if (lead.isPresent()) {
        return Optional.of(new Match(lead.get(), "reply-to"));
      }
    }
    if (!mail.from().isEmpty()) {
      return leads.findByEmail(mail.from()).map(l -> new Match(l, "sender"));
    }
    return Optional.empty();
  }
}
