// Placeholder until the MarketoWriter sink lands.
enum MarketoWriterPlaceholder {}
