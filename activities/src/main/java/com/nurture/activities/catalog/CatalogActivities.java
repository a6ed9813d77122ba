package com.nurture.activities.catalog;

import com.nurture.workflows.activities.ProgramActivities;
import com.nurture.workflows.program.Program;
import java.util.Optional;

/** The journey's view of the program catalog: the latest published version of a program. */
public final class CatalogActivities implements ProgramActivities {
  private final ProgramCatalog catalog;

  public CatalogActivities(ProgramCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Optional<Program> latestProgram(String programId) {
    return catalog.latest(programId);
  }
}
