"""What every feature's storage stands on: engines and sessions, the base model, dialect helpers,
and the shared tables (people, dialogs, processed updates, the outbox, message references)."""
