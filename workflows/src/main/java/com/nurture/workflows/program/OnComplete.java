package com.nurture.workflows.program;

/**
 * What happens when the last step is done: {@code then: complete} (COMPLETED), {@code then: recycle}
 * (RECYCLED, kept for later re-engagement), {@code start: <program>} (the lead moves on to it) or
 * {@code resume_previous} (back to the program this one pre-empted; COMPLETED when there is none).
 */
public record OnComplete(Kind kind, String program) {
  public enum Kind { COMPLETE, RECYCLE, START, RESUME_PREVIOUS }

  public static final OnComplete COMPLETE = new OnComplete(Kind.COMPLETE, "");
}
