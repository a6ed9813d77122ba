package com.nurture.api.console.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.db.InFlightRow;
import com.nurture.activities.db.ProgramOutcomeRow;
import com.nurture.activities.db.StepStatsRow;
import com.nurture.api.analytics.InFlight;
import com.nurture.api.analytics.ProgramStats;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgramFlowTest {
  private static final Program PROGRAM = new ProgramParser(t -> true).parse("""
      id: flow
      steps:
        - id: case-study
          send: { template: case-study, variants: [ { id: a, subject: "How Acme cut churn" }, { id: b, template: case-study-short } ] }
        - { id: pause, wait: 3d }
        - id: engaged
          wait_for: { any: [ { event: email_clicked, step: case-study }, { event: page_visited, page: pricing } ], timeout: 4d }
          on_event: hand-off
        - { id: invite, send: invite }
        - { id: again, goto: pause }
        - { id: hand-off, handoff: { reason: clicked } }
        - { id: done, exit: { reason: nurtured, recycle: true } }
      """, 2);

  private static StepStatsRow row(String step, String variant, long sent, long bounced, long opens, long clicks) {
    return new StepStatsRow(step, variant, sent, sent, 0, 0, 0, 0, bounced, opens, 0, clicks, 0, 0, 0, 0, 0);
  }

  private static final ProgramStats STATS = ProgramStats.of("flow", 2, Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
      Instant.EPOCH, ProgramStats.Metric.CLICK,
      List.of(row("case-study", "a", 200, 0, 50, 4), row("case-study", "b", 200, 10, 38, 19), row("invite", "", 40, 0, 9, 1)),
      new ProgramOutcomeRow(0, 0, Optional.empty(), Optional.empty(), 0, 0, 0, 0, List.of()));

  private static final InFlight IN_FLIGHT = InFlight.of("flow", List.of(
      new InFlightRow(2, "pause", "ACTIVE", 7), new InFlightRow(2, "hand-off", "HANDED_OFF", 2),
      new InFlightRow(1, "pause", "ACTIVE", 5)));

  private final ProgramFlow flow = ProgramFlow.of(PROGRAM, Optional.of(STATS), IN_FLIGHT);

  @Test
  void eachStepIsABoxInProgramOrderWithWhatItDoesItsNumbersAndTheLeadsAtItOnThisVersion() {
    assertThat(flow.boxes()).extracting(ProgramFlow.Box::id)
        .containsExactly("case-study", "pause", "engaged", "invite", "again", "hand-off", "done");
    assertThat(flow.boxes()).extracting(ProgramFlow.Box::kind)
        .containsExactly("send", "wait", "wait_for", "send", "goto", "handoff", "exit");
    assertThat(flow.boxes()).extracting(ProgramFlow.Box::detail).containsExactly(
        "case-study, variants a/b", "3d", "any: email_clicked (step case-study), page_visited (page pricing), timeout 4d",
        "invite", "pause", "clicked", "nurtured (recycle)");

    ProgramFlow.Box send = flow.boxes().get(0);
    assertThat(send.counts()).singleElement().satisfies(c -> {
      assertThat(c.sent()).isEqualTo(400);
      assertThat(c.delivered()).isEqualTo(390);
      assertThat(c.humanClicks()).isEqualTo(23);
      assertThat(c.clickRate()).isEqualTo("5.9%"); // 23 / 390
    });
    assertThat(send.variants()).extracting(ProgramFlow.Counts::name, ProgramFlow.Counts::openRate)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "25.0%"), org.assertj.core.groups.Tuple.tuple("b", "20.0%"));
    assertThat(flow.boxes().get(1).inFlight()).isEqualTo(7); // version 1's five are not on this version's flow
    assertThat(flow.boxes().get(5).inFlight()).isEqualTo(2);
    assertThat(flow.boxes().get(2).counts()).isEmpty();
  }

  @Test
  void boxesStackWithoutOverlapAndTallerForMoreLines() {
    List<ProgramFlow.Box> b = flow.boxes();
    for (int i = 1; i < b.size(); i++) {
      assertThat(b.get(i).y()).isEqualTo(b.get(i - 1).y() + b.get(i - 1).height() + ProgramFlow.GAP);
    }
    // the send: title, detail, totals, two variants
    assertThat(b.get(0).height()).isEqualTo(2 * ProgramFlow.PADDING + 5 * ProgramFlow.LINE);
    assertThat(b.get(4).height()).isEqualTo(2 * ProgramFlow.PADDING + 2 * ProgramFlow.LINE);
    assertThat(flow.height()).isEqualTo(b.get(6).y() + b.get(6).height() + ProgramFlow.LEFT);
  }

  @Test
  void neighboursAreJoinedStraightDownAndJumpsTakeTheirOwnLanesOnTheRight() {
    assertThat(flow.edges()).extracting(e -> e.from() + ">" + e.to() + ":" + e.label() + (e.jump() ? " jump" : ""))
        .containsExactlyInAnyOrder(
            "case-study>pause:next", "pause>engaged:next", "engaged>invite:timeout", "invite>again:next",
            "hand-off>done:next",
            "engaged>hand-off:event jump", "again>pause:goto jump");
    List<ProgramFlow.Edge> jumps = flow.edges().stream().filter(ProgramFlow.Edge::jump).toList();
    // the shorter jump (engaged -> hand-off, 3 steps; again -> pause, 3 steps: first by source) is innermost
    int right = ProgramFlow.LEFT + ProgramFlow.BOX_WIDTH;
    assertThat(jumps.get(0).path()).startsWith("M" + right + " ").contains(" H" + (right + ProgramFlow.LANE) + " ");
    assertThat(jumps.get(1).path()).contains(" H" + (right + 2 * ProgramFlow.LANE) + " ");
    assertThat(flow.width()).isEqualTo(right + 2 * ProgramFlow.LANE + ProgramFlow.LABEL_ROOM);
    ProgramFlow.Box pause = flow.boxes().get(1);
    ProgramFlow.Box again = flow.boxes().get(4);
    assertThat(jumps.get(1).path()).isEqualTo("M" + right + " " + (again.y() + again.height() / 2) + " H"
        + (right + 2 * ProgramFlow.LANE) + " V" + (pause.y() + pause.height() / 2) + " H" + (right + 2));
  }

  @Test
  void withoutStatsTheFlowStillDrawsEveryStep() {
    ProgramFlow bare = ProgramFlow.of(PROGRAM, Optional.empty(), InFlight.of("flow", List.of()));
    assertThat(bare.boxes()).hasSize(7).allSatisfy(b -> {
      assertThat(b.counts()).isEmpty();
      assertThat(b.inFlight()).isZero();
    });
  }
}
