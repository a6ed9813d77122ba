package com.nurture.api.console;

/** The sign-in form: an API key, and where to go after. */
public final class SignInPage extends ConsolePage {
  private final String next;
  private final String error;
  private final String csrf;

  SignInPage(ConsoleContext context, String next, String error, String csrf) {
    super("sign-in.ftlh", context, "signin.title", "sign-in");
    this.next = next;
    this.error = error;
    this.csrf = csrf;
  }

  public String getNext() {
    return next;
  }

  /** The message key of what went wrong, or "" for none. */
  public String getError() {
    return error;
  }

  @Override
  public String getCsrf() {
    return csrf;
  }
}
