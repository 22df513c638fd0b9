// Placeholder until the SalesforceWriter sink lands.
enum SalesforceWriterPlaceholder {}
