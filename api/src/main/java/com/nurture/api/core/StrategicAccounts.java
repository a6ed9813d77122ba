package com.nurture.api.core;

import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.TimelineDao;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategic-account list (sales.strategic_accounts): a lead whose email domain or
 * {@code company_domain} attribute is one of them, or a subdomain of one, needs a person's
 * attention from the start. Raised once per lead and domain, on the alert list and the timeline.
 */
public final class StrategicAccounts {
  private static final Logger log = LoggerFactory.getLogger(StrategicAccounts.class);
  private final List<String> domains;
  private final Jdbi jdbi;

  public StrategicAccounts(List<String> domains, Jdbi jdbi) {
    this.domains = domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
    this.jdbi = jdbi;
  }

  /** The listed domain the lead belongs to, if any. */
  public Optional<String> accountOf(LeadRecord lead) {
    String email = lead.email().toLowerCase(Locale.ROOT);
    String emailDomain = email.substring(email.lastIndexOf('@') + 1);
    String company = lead.attribute("company_domain").trim().toLowerCase(Locale.ROOT);
    return domains.stream().filter(d -> belongs(emailDomain, d) || belongs(company, d)).findFirst();
  }

  static boolean belongs(String domain, String listed) {
    return !domain.isEmpty() && (domain.equals(listed) || domain.endsWith("." + listed));
  }

  /** Raises the alert for a lead from a strategic account (once per lead and account). */
  public void check(LeadRecord lead) {
    accountOf(lead).ifPresent(account -> {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("account", account);
      detail.put("email", lead.email());
      String key = "strategic/" + lead.id() + "/" + account;
      int added = jdbi.withExtension(AlertDao.class, a -> a.raise(lead.id(), "strategic_account",
          "A lead from strategic account " + account + ": handle them personally.", detail, key));
      if (added == 1) {
        jdbi.useExtension(TimelineDao.class, t -> t.append(lead.id(), lead.updatedAt(), "strategic_account", detail, key));
        log.warn("lead {} is from strategic account {}", lead.id(), account);
      }
    });
  }
}
