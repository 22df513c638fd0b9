internal import LeadModel

// MARK: - EventMapping + Decoding

extension EventMapping {
    static let programExpectation = "a Marketo program id (a positive integer)"
    static let campaignExpectation = "a Salesforce Campaign id: 15 or 18 letters and digits starting with 701"

    /// Reads one `events["id"]` entry and checks that every enabled destination has its id.
    init?(decoding value: ConfigValue, destinations: Set<Destination>, tenantLabel: String) {
        guard let section = value.mapping(knownKeys: ["marketoProgramId", "salesforceCampaignId"]) else { return nil }
        self.init()
        if let programValue = section["marketoProgramId"] {
            marketoProgramId = programValue.int(in: 1...Int(Int32.max), expected: EventMapping.programExpectation)
        }
        if let campaignValue = section["salesforceCampaignId"],
            let text = campaignValue.string(expected: EventMapping.campaignExpectation)
        {
            if let problem = EventMapping.campaignIdProblem(text) {
                campaignValue.report(
                    .invalidValue,
                    "\(quoted(text)) \(problem)",
                    expected: EventMapping.campaignExpectation
                )
            } else {
                salesforceCampaignId = text
            }
        }
        for destination in destinations.sorted() {
            let key = destination == .marketo ? "marketoProgramId" : "salesforceCampaignId"
            guard section[key] == nil else { continue }
            value.log.add(
                .missingKey,
                at: value.path.key(key),
                "is missing, but \(destination.rawValue) is a destination of \(tenantLabel)",
                expected: destination == .marketo ? EventMapping.programExpectation : EventMapping.campaignExpectation,
                line: value.node.mark?.line,
                column: value.node.mark?.column
            )
        }
    }

    /// What is wrong with a Campaign id, or `nil`.
    static func campaignIdProblem(_ id: String) -> String? {
        let characters = Array(id.unicodeScalars)
        guard characters.count == 15 || characters.count == 18 else {
            return "has \(characters.count) characters"
        }
        guard characters.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else {
            return "has characters other than letters and digits"
        }
        guard id.hasPrefix("701") else {
            return "is not a Campaign id (Campaign ids start with 701; \(id.prefix(3)) is another object's prefix)"
        }
        if characters.count == 18 {
            let expectedSuffix = checksum(of: Array(characters[0..<15]))
            let suffix = String(String.UnicodeScalarView(characters[15...]))
            if suffix.uppercased() != expectedSuffix {
                return "has the suffix \(suffix), but its first 15 characters give \(expectedSuffix) (a mistyped "
                    + "letter case?)"
            }
        }
        return nil
    }

    /// The 3-character case-encoding suffix of a 15-character Salesforce id.
    private static func checksum(of fifteen: [Unicode.Scalar]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for position in 0..<5 where ("A"..."Z").contains(fifteen[chunk * 5 + position]) {
                bits |= 1 << position
            }
            suffix.append(alphabet[bits])
        }
        return suffix
    }
}
