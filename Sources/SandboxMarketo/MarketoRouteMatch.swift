/// The endpoint a request path resolves to, with its path parameters.
struct MarketoRouteMatch: Sendable {
    /// The endpoint.
    var endpoint: MarketoEndpoint
    /// Path parameters by template name (`programId`, `apiName`, `batchId`, `exportId`, `obj`).
    var parameters: [String: String]

    /// Resolves a path and method.
    /// - Returns: the match, or `.methodNotAllowed` when the path exists for another method, or nil.
    static func resolve(path: String, method: String) -> Result? {
        var pathOnlyMatch = false
        // Export paths carry a two-segment `{obj}` (program/members): normalise it to one segment first.
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var obj: String?
        if segments.count >= 3, segments[0] == "bulk", segments[1] == "v1" {
            if segments.count >= 5, segments[2] == "program", segments[3] == "members",
                segments[4] == "export" || segments[4] == "export.json"
            {
                obj = "program/members"
                segments.replaceSubrange(2...3, with: ["{obj}"])
            } else if segments.count >= 4, segments[2] == "leads",
                segments[3] == "export" || segments[3] == "export.json"
            {
                obj = "leads"
                segments[2] = "{obj}"
            }
        }
        for endpoint in MarketoEndpoint.allCases {
            let route = endpoint.route
            guard var params = match(segments: segments, template: route.template) else { continue }
            if let obj { params["obj"] = obj }
            if params["obj"] != nil, obj == nil { continue }
            if route.method == "*" || route.method == method {
                return .found(MarketoRouteMatch(endpoint: endpoint, parameters: params))
            }
            pathOnlyMatch = true
        }
        return pathOnlyMatch ? .methodNotAllowed : nil
    }

    /// What ``resolve(path:method:)`` found.
    enum Result {
        case found(MarketoRouteMatch)
        case methodNotAllowed
    }

    private static func match(segments: [String], template: String) -> [String: String]? {
        let parts = template.split(separator: "/").map(String.init)
        guard parts.count == segments.count else { return nil }
        var params: [String: String] = [:]
        for (part, segment) in zip(parts, segments) {
            if part == "{obj}" {
                guard segment == "{obj}" else { return nil }
                params["obj"] = ""
                continue
            }
            if part.hasPrefix("{"), let close = part.firstIndex(of: "}") {
                let name = String(part[part.index(after: part.startIndex)..<close])
                let suffix = String(part[part.index(after: close)...])
                guard segment.hasSuffix(suffix), segment.count > suffix.count, segment != "{obj}" else { return nil }
                params[name] = String(segment.dropLast(suffix.count))
            } else if part != segment {
                return nil
            }
        }
        return params
    }
}
