package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;

/**
 * A program an event triggered for a lead whose journey is running. The journey switches to it
 * when its priority is higher than the running program's (pre-emption), else records it.
 *
 * @param id the triggering event's id: an offer is considered once
 */
public record TrackOffer(String id, Program program, String reason) {}
