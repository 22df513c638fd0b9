// The operations module: dead-letter tooling and reconciliation.
enum OperationsModule {}
