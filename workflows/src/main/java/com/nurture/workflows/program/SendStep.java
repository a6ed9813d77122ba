package com.nurture.workflows.program;

/**
 * Sends one email rendered from a template to the lead. {@code immediate} sends as soon as the step
 * is reached even outside the send windows (a welcome right after sign-up, a pricing-visit mail);
 * the minimum gap and the weekly cap still apply.
 */
public record SendStep(String id, String template, boolean immediate) implements Step {
  public SendStep(String id, String template) {
    this(id, template, false);
  }
}
