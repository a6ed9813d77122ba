package com.nurture.workflows.program;

import java.util.List;

/**
 * A published program: an ordered list of steps, pinned to the version a lead entered with. The
 * whole value travels in the workflow input, so a lead in flight keeps its version when the
 * program is edited.
 */
public record Program(String id, int version, String name, List<Step> steps) {
  public Program {
    steps = List.copyOf(steps);
  }

  public String ref() {
    return id + "@" + version;
  }

  public Program withVersion(int newVersion) {
    return new Program(id, newVersion, name, steps);
  }
}
