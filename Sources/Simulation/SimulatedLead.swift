import Basics

// MARK: - SimulatedLead

/// The identity and registration profile of one simulated lead.
///
/// The email is `first.last.N@domainK.example` where `N` is the lead's index in the plan, so every lead of every
/// tenant has its own address.
struct SimulatedLead {
    let index: Int
    let tenantIndex: Int
    let firstName: String
    let lastName: String
    /// The canonical (lowercase) email.
    let email: String
    /// `{tenant}/{email}`.
    let leadKey: String
    let keyBytes: [UInt8]
    let quotedEmail: [UInt8]
    let quotedUserId: [UInt8]?
    let company: String
    let title: String
    let country: String
    let phone: String
    let industry: String?
    /// `,"profile":{...}`: the registration form, written once for all the lead's events.
    let profileJSON: [UInt8]

    init(index: Int, tenant: PreparedPlan.Tenant, tenantIndex: Int, random: inout SplitMix64) {
        self.index = index
        self.tenantIndex = tenantIndex
        firstName = random.pick(SimulationVocabulary.firstNames)
        lastName = random.pick(SimulationVocabulary.lastNames)
        email = "\(firstName.lowercased()).\(lastName.lowercased()).\(index)@domain\(random.within(1...50)).example"
        leadKey = tenant.id + "/" + email
        keyBytes = Array(leadKey.utf8)
        quotedEmail = JSONBodyWriter.quoted(email)
        quotedUserId =
            random.chance(0.8)
            ? JSONBodyWriter.quoted("\(firstName.lowercased()).\(lastName.lowercased()).\(index)") : nil
        company = random.pick(SimulationVocabulary.companies)
        title = random.pick(SimulationVocabulary.titles)
        country = random.pick(SimulationVocabulary.countries)
        phone = "+1 555 \(random.within(1000...9999))"
        industry = random.chance(0.7) ? random.pick(SimulationVocabulary.industries) : nil

        var writer = JSONBodyWriter(capacity: 200)
        writer.raw(",\"profile\":{\"firstName\":")
        writer.string(firstName)
        writer.raw(",\"lastName\":")
        writer.string(lastName)
        writer.raw(",\"company\":")
        writer.string(company)
        writer.raw(",\"title\":")
        writer.string(title)
        writer.raw(",\"country\":")
        writer.string(country)
        writer.raw(",\"phone\":")
        writer.string(phone)
        if let industry {
            writer.raw(",\"custom\":{\"industry\":")
            writer.string(industry)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "}"))
        profileJSON = writer.bytes
    }

    /// The email spelled differently but meaning the same lead: other letter case, surrounding whitespace.
    func variantEmail(_ random: inout SplitMix64) -> String {
        switch random.below(4) {
        case 0: return capitalizedEmail
        case 1: return email.uppercased()
        case 2: return "  \(email) "
        default: return "\t\(capitalizedEmail)\n"
        }
    }

    /// `Jane.Doe.12@Domain3.Example`.
    var capitalizedEmail: String {
        email.split(separator: ".", omittingEmptySubsequences: false)
            .map { part in part.prefix(1).uppercased() + part.dropFirst() }
            .joined(separator: ".")
            .split(separator: "@", omittingEmptySubsequences: false)
            .map { part in part.prefix(1).uppercased() + part.dropFirst() }
            .joined(separator: "@")
    }
}
