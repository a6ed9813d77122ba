package com.nurture.workflows.program;

import java.util.List;

/**
 * Sends one email rendered from a template to the lead. {@code immediate} sends as soon as the step
 * is reached even outside the send windows (a welcome right after sign-up, a pricing-visit mail);
 * the minimum gap and the weekly cap still apply. {@code variants}, when given, split leads
 * between subjects or templates (A/B), each lead always getting the same one.
 */
public record SendStep(String id, String template, boolean immediate, List<Variant> variants) implements Step {
  public SendStep {
    variants = List.copyOf(variants);
  }

  public SendStep(String id, String template) {
    this(id, template, false, List.of());
  }
}
