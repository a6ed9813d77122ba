package com.nurture.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryHealthTest {
  @Test
  void complaintsAreCountedOverDeliveredAndBouncesOverSent() {
    // 2,000 sent, 50 bounced: 2.5% bounces (over 2%); 1,950 delivered, 4 complaints: 0.205% (under 0.3%, over 0.1%).
    DeliveryHealth h = DeliveryHealth.of(2000, 50, 4);
    assertThat(h.bounceRate()).isEqualTo(0.025);
    assertThat(h.complaintRate()).isEqualTo(4.0 / 1950);
    assertThat(h.bounceOver()).isTrue();
    assertThat(h.complaintOver()).isFalse();
    assertThat(h.complaintAboveTarget()).isTrue();

    DeliveryHealth bad = DeliveryHealth.of(1000, 0, 4);
    assertThat(bad.complaintRate()).isEqualTo(0.004);
    assertThat(bad.complaintOver()).as("0.4% breaks the 0.3% rule").isTrue();

    DeliveryHealth none = DeliveryHealth.of(0, 0, 0);
    assertThat(none.bounceRate()).isNull();
    assertThat(none.complaintRate()).isNull();
    assertThat(none.bounceOver()).isFalse();
  }

  @Test
  void aChartsJsonCannotCloseItsScriptElement() {
    String json = new ChartSpec(java.util.List.of(java.time.Instant.parse("2026-11-01T00:00:00Z")),
        java.util.List.of(new ChartSpec.Series("</script><script>alert(1)</script>", java.util.List.of(3))), true).json();
    assertThat(json).doesNotContain("<", ">").contains("\"x\":[1793491200]", "\"values\":[3]", "\"bars\":true");
  }
}
