package com.nurture.api.console.programs;

import com.nurture.api.analytics.InFlight;
import com.nurture.api.analytics.ProgramStats;
import com.nurture.workflows.program.BranchStep;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.EventMatch;
import com.nurture.workflows.program.ExitStep;
import com.nurture.workflows.program.GotoStep;
import com.nurture.workflows.program.HandoffStep;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.SendStep;
import com.nurture.workflows.program.Step;
import com.nurture.workflows.program.WaitForStep;
import com.nurture.workflows.program.WaitStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A program's steps drawn as a flow: one box per step, top to bottom in program order, with the
 * step's numbers (from {@link ProgramStats}: an email step's sends, opens and clicks, per variant)
 * and the leads now at it ({@link InFlight}); arrows for every way out of a step. Going on to the
 * next step is a short arrow straight down; a jump (goto, a wait_for's outcome, a branch case) is
 * drawn on the right, each in its own lane, labelled. Coordinates are pixels, computed here so the
 * page only places what it is given (HTML boxes over one SVG of arrows).
 */
public record ProgramFlow(int width, int height, List<Box> boxes, List<Edge> edges) {
  static final int LEFT = 16;
  static final int BOX_WIDTH = 340;
  static final int LINE = 18;
  static final int PADDING = 10;
  static final int GAP = 30;
  static final int LANE = 24;
  static final int LABEL_ROOM = 90;

  /** One step. {@code counts} is empty for steps that send nothing (or nothing yet in the period). */
  public record Box(int index, String id, String kind, String detail, int x, int y, int width, int height,
      long inFlight, List<Counts> counts, List<Counts> variants) {
    public boolean hasInFlight() {
      return inFlight > 0;
    }
  }

  /** An email step's or variant's numbers; rates over delivered (docs/analytics.md). */
  public record Counts(String name, long sent, long delivered, long humanOpens, long humanClicks, long replies,
      long bounced, String openRate, String clickRate) {}

  /** An arrow from one step to another; {@code label} is a key ("next", "event", "timeout", "case", "else", "goto"). */
  public record Edge(String from, String to, String label, String path, int labelX, int labelY, boolean jump) {}

  public static ProgramFlow of(Program program, Optional<ProgramStats> stats, InFlight inFlight) {
    Map<String, ProgramStats.Step> measured = stats.map(s -> s.steps().stream()
        .collect(Collectors.toMap(ProgramStats.Step::step, s1 -> s1, (a, b) -> a))).orElse(Map.of());
    List<Box> boxes = new ArrayList<>();
    int y = LEFT;
    for (int i = 0; i < program.steps().size(); i++) {
      Step step = program.steps().get(i);
      ProgramStats.Step numbers = measured.get(step.id());
      List<Counts> counts = numbers == null ? List.of() : List.of(counts("", numbers.totals()));
      List<Counts> variants = numbers == null ? List.of()
          : numbers.variants().stream().map(v -> counts(v.variant(), v.counts())).toList();
      long here = inFlight.leadsAt(program.version(), step.id());
      int lines = 2 + counts.size() + variants.size() + (here > 0 ? 1 : 0);
      int h = 2 * PADDING + lines * LINE;
      boxes.add(new Box(i, step.id(), kind(step), detail(step), LEFT, y, BOX_WIDTH, h, here, counts, variants));
      y += h + GAP;
    }
    List<Edge> edges = edges(program, boxes);
    long lanes = edges.stream().filter(Edge::jump).count();
    int width = LEFT + BOX_WIDTH + (lanes == 0 ? LEFT : LANE * (int) lanes + LABEL_ROOM);
    return new ProgramFlow(width, Math.max(y - GAP + LEFT, 2 * LEFT), List.copyOf(boxes), edges);
  }

  private static Counts counts(String name, ProgramStats.Counts c) {
    return new Counts(name, c.sent(), c.delivered(), c.humanOpens(), c.humanClicks(), c.replies(), c.bounced(),
        percent(c.rates().open()), percent(c.rates().click()));
  }

  static String percent(double rate) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** The ways out of each step, in program terms: (target step, label). "" is the next step. */
  static List<String[]> exits(Step step) {
    if (step instanceof GotoStep g) {
      return List.<String[]>of(new String[] {g.target(), "goto"});
    }
    if (step instanceof ExitStep) {
      return List.of();
    }
    if (step instanceof WaitForStep w) {
      return List.of(new String[] {w.onEvent(), "event"}, new String[] {w.onTimeout(), "timeout"});
    }
    if (step instanceof BranchStep b) {
      List<String[]> out = new ArrayList<>();
      b.cases().forEach(c -> out.add(new String[] {c.then(), "case"}));
      out.add(new String[] {b.otherwise(), "else"});
      return out;
    }
    return List.<String[]>of(new String[] {"", "next"}); // send, wait, handoff (sales may send the lead back)
  }

  private static List<Edge> edges(Program program, List<Box> boxes) {
    record Link(Box from, Box to, String label) {
      boolean straight() {
        return to.index() == from.index() + 1;
      }

      int span() {
        return Math.abs(to.index() - from.index());
      }
    }
    List<Link> links = new ArrayList<>();
    for (Box from : boxes) {
      for (String[] exit : exits(program.steps().get(from.index()))) {
        int target = exit[0].isEmpty() ? from.index() + 1 : program.indexOf(exit[0]);
        if (target >= 0 && target < boxes.size()) {
          links.add(new Link(from, boxes.get(target), exit[1]));
        }
      }
    }
    // One straight arrow per pair of neighbours; every other link takes a lane, the shortest innermost.
    List<Edge> edges = new ArrayList<>();
    java.util.Set<Integer> straightDrawn = new java.util.HashSet<>();
    List<Link> jumps = new ArrayList<>();
    for (Link l : links) {
      if (l.straight() && straightDrawn.add(l.from().index())) {
        int x = l.from().x() + l.from().width() / 2;
        int y1 = l.from().y() + l.from().height();
        int y2 = l.to().y();
        edges.add(new Edge(l.from().id(), l.to().id(), l.label(), "M" + x + " " + y1 + " V" + (y2 - 2), x + 6,
            (y1 + y2) / 2 + 4, false));
      } else {
        jumps.add(l);
      }
    }
    jumps.sort(Comparator.comparingInt(Link::span).thenComparingInt(l -> l.from().index()));
    int right = LEFT + BOX_WIDTH;
    for (int lane = 0; lane < jumps.size(); lane++) {
      Link l = jumps.get(lane);
      int laneX = right + LANE * (lane + 1);
      int y1 = l.from().y() + l.from().height() / 2;
      int y2 = l.to().y() + l.to().height() / 2;
      String path = "M" + right + " " + y1 + " H" + laneX + " V" + y2 + " H" + (right + 2);
      edges.add(new Edge(l.from().id(), l.to().id(), l.label(), path, laneX + 4, (y1 + y2) / 2, true));
    }
    return List.copyOf(edges);
  }

  static String kind(Step step) {
    if (step instanceof SendStep) {
      return "send";
    } else if (step instanceof WaitStep) {
      return "wait";
    } else if (step instanceof WaitForStep) {
      return "wait_for";
    } else if (step instanceof BranchStep) {
      return "branch";
    } else if (step instanceof HandoffStep) {
      return "handoff";
    } else if (step instanceof GotoStep) {
      return "goto";
    }
    return "exit";
  }

  /** What the step does, in the program's own words (template ids, durations, event names). */
  static String detail(Step step) {
    if (step instanceof SendStep s) {
      return s.template() + (s.immediate() ? " (immediate)" : "") + (s.variants().isEmpty() ? ""
          : ", variants " + s.variants().stream().map(v -> v.id()).collect(Collectors.joining("/")));
    } else if (step instanceof WaitStep w) {
      return DurationText.format(w.duration());
    } else if (step instanceof WaitForStep w) {
      return w.mode().name().toLowerCase(java.util.Locale.ROOT) + ": "
          + w.events().stream().map(ProgramFlow::event).collect(Collectors.joining(", "))
          + ", timeout " + DurationText.format(w.timeout());
    } else if (step instanceof BranchStep b) {
      return b.cases().size() + (b.cases().size() == 1 ? " case" : " cases");
    } else if (step instanceof HandoffStep h) {
      return h.reason();
    } else if (step instanceof GotoStep g) {
      return g.target();
    }
    ExitStep e = (ExitStep) step;
    return e.reason() + (e.recycle() ? " (recycle)" : "");
  }

  private static String event(EventMatch m) {
    List<String> qualifiers = new ArrayList<>();
    if (!m.step().isEmpty()) {
      qualifiers.add("step " + m.step());
    }
    new java.util.TreeMap<>(m.where()).forEach((k, v) -> qualifiers.add(k + " " + v));
    return m.type().wireName() + (qualifiers.isEmpty() ? "" : " (" + String.join(", ", qualifiers) + ")");
  }
}
