package com.nurture.workflows.program;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A program's steps as a graph: each step leads to the steps it may continue at (the next one
 * unless it jumps; the end is not a node). Checks what a reader of the YAML cannot easily see:
 * references to missing steps, steps nothing reaches, and loops that would run without ever
 * waiting (a busy loop that sends or spins forever).
 */
public final class StepGraph {
  private final List<Step> steps;
  private final Map<String, Integer> index = new HashMap<>();

  public StepGraph(List<Step> steps) {
    this.steps = steps;
    for (int i = 0; i < steps.size(); i++) {
      index.put(steps.get(i).id(), i);
    }
  }

  /** Where step {@code i} may go next: indices, with {@code steps.size()} meaning the end. */
  public List<Integer> successors(int i) {
    Step s = steps.get(i);
    List<Integer> out = new ArrayList<>();
    if (s instanceof WaitForStep w) {
      out.add(target(w.onEvent(), i));
      out.add(target(w.onTimeout(), i));
    } else if (s instanceof BranchStep b) {
      b.cases().forEach(c -> out.add(target(c.then(), i)));
      out.add(target(b.otherwise(), i));
    } else if (s instanceof GotoStep g) {
      out.add(target(g.target(), i));
    } else if (!(s instanceof ExitStep)) {
      out.add(i + 1);
    }
    return out;
  }

  private int target(String stepId, int from) {
    return stepId.isEmpty() ? from + 1 : index.getOrDefault(stepId, -1);
  }

  void validate(List<ProgramError> errors) {
    int before = errors.size();
    for (int i = 0; i < steps.size(); i++) {
      references(i, errors);
    }
    if (errors.size() > before) {
      return;
    }
    boolean[] reached = new boolean[steps.size() + 1];
    Deque<Integer> todo = new ArrayDeque<>(List.of(0));
    while (!todo.isEmpty()) {
      int i = todo.pop();
      if (reached[i]) {
        continue;
      }
      reached[i] = true;
      if (i < steps.size()) {
        todo.addAll(successors(i));
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      if (!reached[i]) {
        errors.add(new ProgramError("steps[" + i + "]", "step '" + steps.get(i).id() + "' can never be reached"));
      }
    }
    loopsWithoutWait(errors);
  }

  private void references(int i, List<ProgramError> errors) {
    Step s = steps.get(i);
    String path = "steps[" + i + "]";
    if (s instanceof WaitForStep w) {
      ref(w.onEvent(), path + ".on_event", false, errors);
      ref(w.onTimeout(), path + ".on_timeout", false, errors);
    } else if (s instanceof BranchStep b) {
      for (int c = 0; c < b.cases().size(); c++) {
        ref(b.cases().get(c).then(), path + ".branch[" + c + "].goto", true, errors);
      }
      ref(b.otherwise(), path + ".branch[" + b.cases().size() + "].else", false, errors);
    } else if (s instanceof GotoStep g) {
      ref(g.target(), path + ".goto", true, errors);
    }
  }

  private void ref(String stepId, String path, boolean required, List<ProgramError> errors) {
    if (stepId.isEmpty()) {
      if (required) {
        errors.add(new ProgramError(path, "names the step to go to"));
      }
    } else if (!index.containsKey(stepId)) {
      errors.add(new ProgramError(path, "unknown step '" + stepId + "'"));
    }
  }

  /** A cycle through steps none of which waits (wait, wait_for) would never yield. */
  private void loopsWithoutWait(List<ProgramError> errors) {
    int n = steps.size();
    int[] state = new int[n]; // 0 new, 1 on the stack, 2 done
    Deque<Integer> stack = new ArrayDeque<>();
    Set<String> reported = new LinkedHashSet<>();
    for (int start = 0; start < n; start++) {
      if (state[start] == 0 && !waits(start)) {
        visit(start, state, stack, errors, reported);
      }
    }
  }

  private void visit(int i, int[] state, Deque<Integer> stack, List<ProgramError> errors, Set<String> reported) {
    state[i] = 1;
    stack.push(i);
    for (int next : successors(i)) {
      if (next >= steps.size() || waits(next)) {
        continue;
      }
      if (state[next] == 1) {
        List<String> cycle = new ArrayList<>();
        boolean on = false;
        for (var it = stack.descendingIterator(); it.hasNext(); ) {
          int k = it.next();
          on |= k == next;
          if (on) {
            cycle.add(steps.get(k).id());
          }
        }
        cycle.add(steps.get(next).id());
        if (reported.add(String.join(">", cycle))) {
          errors.add(new ProgramError("steps[" + i + "]",
              "loops back to '" + steps.get(next).id() + "' without a wait: " + String.join(" -> ", cycle)));
        }
      } else if (state[next] == 0) {
        visit(next, state, stack, errors, reported);
      }
    }
    stack.pop();
    state[i] = 2;
  }

  private boolean waits(int i) {
    Step s = steps.get(i);
    return s instanceof WaitStep || s instanceof WaitForStep;
  }
}
