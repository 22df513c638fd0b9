// MARK: - SimulationVocabulary

/// The words simulated leads and sessions are made of. All ASCII, so emails stay simple to normalise.
enum SimulationVocabulary {
    static let firstNames = [
        "Jane", "John", "Amara", "Luis", "Mei", "Olivia", "Noah", "Priya", "Kenji", "Fatima", "Lucas", "Sofia",
        "Mateo", "Chloe", "Arjun", "Zoe", "Ethan", "Ines", "Omar", "Hannah", "Leo", "Yara", "Felix", "Maya",
        "Ivan", "Nora", "Samuel", "Aiko", "Diego", "Elena", "Tomas", "Lina",
    ]
    static let lastNames = [
        "Doe", "Smith", "Okafor", "Garcia", "Chen", "Brown", "Mueller", "Patel", "Tanaka", "Haddad", "Martin",
        "Rossi", "Silva", "Dubois", "Nair", "Kowalski", "Johnson", "Moreau", "Khan", "Schmidt", "Lopez", "Novak",
        "Berg", "Kim", "Petrov", "Andersen", "Cohen", "Sato", "Fernandez", "Ivanova", "Walsh", "Costa",
    ]
    static let companies = [
        "Example Inc", "Initech", "Umbrella Labs", "Stark Industries", "Wayne Enterprises", "Hooli", "Vandelay",
        "Soylent Corp", "Tyrell Systems", "Cyberdyne", "Aperture Science", "Wonka Foods",
    ]
    static let titles = [
        "CTO", "VP Marketing", "Software Engineer", "Product Manager", "Data Analyst", "CEO", "Head of Events",
        "Marketing Operations Manager", "Sales Director", "Student",
    ]
    static let countries = ["US", "GB", "DE", "FR", "IN", "JP", "BR", "CA", "AU", "NL", "IL", "ES"]
    static let industries = ["Software", "Healthcare", "Finance", "Education", "Retail", "Manufacturing", "Media"]
    static let sessionNames = [
        "Opening keynote", "Product roadmap", "Customer panel", "Hands-on workshop", "Security deep dive",
        "Closing keynote", "Partner showcase", "Ask me anything", "Data & AI track", "Networking lounge",
    ]
    static let channelNames = ["Main stage", "Breakout A", "Breakout B", "Workshop room", "Expo hall"]

    static let invitations = ["Invited", "Invited by team member", "Invited by team member to register"]
    static let confirmations = ["Confirmed email", "Confirmed email", "Confirmed"]

    /// Status names no version of the contract knows (wrong case, wrong words, empty).
    static let unknownStatuses = ["Attending", "registered", "Confirmed Email", "Waitlisted", "", "CONFIRMED"]
    /// Emails that break one rule each.
    static let invalidEmailTemplates = [
        "#", "#@", "#@@domain.example", "# x@domain.example", "#@domain", "@domain.example", ".#@domain.example",
    ]
    /// Dates that are not RFC 3339 with a zone.
    static let invalidDates = [
        "2026-11-22 10:00:00", "2026-11-22T10:00:00", "22/11/2026 10:00", "1795334400000", "2026-13-01T00:00:00Z",
        "2026-02-30T10:00:00Z", "yesterday",
    ]
    static let unknownTypes = ["attendee.statusChanged", "engagement.sessions", "attendee.deleted", "session"]
    static let unknownVersions: [Int64] = [0, 2, 3]
    /// Texts that are not JSON.
    static let notJSONTexts = [
        "<html><body>502 Bad Gateway</body></html>", "attendee.status;acme;Registered", "null",
        "{'type': 'attendee.status'}",
    ]
}
