internal import Foundation

// MARK: - ConfigValue + Common

/// Reads shared by several sections: secrets, URLs, ratios, names.
extension ConfigValue {
    /// What a secret reference looks like, for messages.
    static let secretExpectation = "a reference: { env: VARIABLE_NAME } or { file: /path/to/secret }"

    /// The value as a secret reference. A literal value is reported without being repeated.
    func secret(source: SecretSource) -> Secret? {
        guard case .mapping = node else {
            if scalarText != nil {
                report(
                    .literalSecret,
                    "a secret must not be written into the configuration file (the value is not shown here); put it "
                        + "in an environment variable or a mounted file and reference it",
                    expected: ConfigValue.secretExpectation
                )
            } else {
                reportWrongType(expected: ConfigValue.secretExpectation)
            }
            return nil
        }
        guard let mapping = mapping(knownKeys: ["env", "file"]) else { return nil }
        switch (mapping["env"], mapping["file"]) {
        case (let env?, nil):
            guard let name = env.string(expected: "an environment variable name") else { return nil }
            guard ConfigValue.isEnvironmentVariableName(name) else {
                env.report(
                    .invalidValue,
                    "\(quoted(name)) is not an environment variable name",
                    expected: "letters, digits and underscores, not starting with a digit"
                )
                return nil
            }
            return Secret(reference: .environment(name), setting: path.description, source: source)
        case (nil, let file?):
            guard let filePath = file.string(expected: "the path of a file holding the secret") else { return nil }
            return Secret(reference: .file(filePath), setting: path.description, source: source)
        case (nil, nil):
            report(.missingKey, "the reference names no source", expected: ConfigValue.secretExpectation)
            return nil
        case (_?, _?):
            report(.inconsistent, "the reference has both env and file", expected: "exactly one of them")
            return nil
        }
    }

    /// Whether `name` is a portable environment variable name.
    static func isEnvironmentVariableName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return bytes.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }
    }

    /// The value as an absolute `http` or `https` URL without query or fragment (a trailing `/` is dropped).
    func httpURL() -> URL? {
        let expected = "an absolute http or https URL such as https://example.com"
        guard let text = string(expected: expected) else { return nil }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            report(.invalidValue, "\(quoted(text)) is not an absolute http(s) URL", expected: expected)
            return nil
        }
        return url
    }

    /// The value as a share in (0, 1].
    func share() -> Double? {
        double(expected: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    }

    /// The value as a text without leading or trailing spaces and without line breaks (ids, names).
    func name(expected: String) -> String? {
        guard let text = string(expected: expected) else { return nil }
        guard text.trimmingCharacters(in: .whitespaces) == text, !text.contains(where: \.isNewline) else {
            report(.invalidValue, "\(quoted(text)) has leading or trailing spaces or a line break", expected: expected)
            return nil
        }
        return text
    }

    /// The value as a list of strings, or a single comma-separated string.
    func stringList(expected: String) -> [String]? {
        if let text = scalarText {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let items = list(expected: expected) else { return nil }
        var result: [String] = []
        for item in items {
            if let text = item.string(expected: expected) { result.append(text) }
        }
        return result
    }
}
