// Reconciliation of the CRMs against the fold state.
enum ReconciliationModule {}
