public import ServiceLifecycle

// MARK: - MarketoSandbox + Service

/// A sandbox is a `Service`: put it in a `ServiceGroup` and it serves until graceful shutdown (SIGTERM, SIGINT)
/// or cancellation, like ``MarketoSandbox/run()``, which already has the signature `Service` asks for. Unlike the
/// application from ``MarketoSandbox/makeApplication()``, a failure to bind ends ``MarketoSandbox/baseURL()``'s
/// wait with `notRunning` instead of leaving it waiting.
extension MarketoSandbox: Service {}
