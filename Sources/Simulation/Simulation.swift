// The Simulation module: seeded attendee and engagement streams. (Being written; see issue 3.)
