package com.nurture.workflows.program;

import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.policy.SendPolicy;
import java.util.List;
import java.util.Optional;

/**
 * A published program: an ordered list of steps, pinned to the version a lead entered with. The
 * whole value travels in the workflow input, so a lead in flight keeps its version when the
 * program is edited.
 */
public record Program(
    String id,
    int version,
    String name,
    int priority,
    Optional<Trigger> trigger,
    Optional<Condition> audience,
    OnComplete onComplete,
    int holdoutPercent,
    SendPolicy sendPolicy,
    boolean graduate,
    List<Step> steps,
    OnSendFailure onSendFailure) {

  /**
   * What the journey does when a send fails for good (a permanent failure, or transient ones past
   * the retry limit): {@code SKIP} goes on with the next step, {@code PAUSE} holds the journey for an
   * operator. Programs stored before this setting existed read as {@code SKIP}.
   */
  public enum OnSendFailure { SKIP, PAUSE }

  public Program {
    steps = List.copyOf(steps);
    onSendFailure = onSendFailure == null ? OnSendFailure.SKIP : onSendFailure;
  }

  public Program(String id, int version, String name, int priority, Optional<Trigger> trigger,
      Optional<Condition> audience, OnComplete onComplete, int holdoutPercent, SendPolicy sendPolicy, boolean graduate,
      List<Step> steps) {
    this(id, version, name, priority, trigger, audience, onComplete, holdoutPercent, sendPolicy, graduate, steps,
        OnSendFailure.SKIP);
  }

  /** A plain program: steps only, default settings. */
  public static Program of(String id, int version, String name, List<Step> steps) {
    return new Program(id, version, name, 0, Optional.empty(), Optional.empty(), OnComplete.COMPLETE, 0,
        SendPolicy.defaultPolicy(), true, steps);
  }

  /** The index of the step with this id, or -1. */
  public int indexOf(String stepId) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).id().equals(stepId)) {
        return i;
      }
    }
    return -1;
  }

  public String ref() {
    return id + "@" + version;
  }

  public Program withVersion(int newVersion) {
    return new Program(id, newVersion, name, priority, trigger, audience, onComplete, holdoutPercent, sendPolicy,
        graduate, steps, onSendFailure);
  }
}
