// MARK: - LeadStringTable

/// Strings many leads repeat (virtual event ids, profile company, title, country, names and custom fields, entry
/// and channel names), each kept once for a whole store and referred to by number from the store's encodings
/// (``LeadStateCodec/encode(_:interningInto:)``).
///
/// Append-only: a number, once given, always means the same string, so an encoding stays readable for as long as
/// its table lives. Bounded: past ``maximumCount`` strings, or for strings longer than ``maximumLength`` bytes,
/// the encoding keeps the string inline.
///
/// A class so that the codec can add to a store's table while encoding; not safe to share between threads (a
/// store owns its table and copies it with ``copy()`` when the store itself is copied).
public final class LeadStringTable {
    /// The most strings a table holds.
    /// (A store per partition: at most about 6 MB per store even when every string is distinct.)
    public static let maximumCount = 1 << 16
    /// The longest string (in UTF-8 bytes) a table takes.
    public static let maximumLength = 48

    /// Number -> string.
    public private(set) var strings: [String] = []
    private var numbers: [String: UInt32] = [:]
    /// UTF-8 bytes of all strings.
    public private(set) var utf8Count = 0

    /// An empty table.
    public init() {}

    /// A table whose strings have these numbers (their positions), as a store's snapshot lists them.
    public init(_ strings: [String]) {
        self.strings = strings
        numbers.reserveCapacity(strings.count)
        for (number, string) in strings.enumerated() where numbers[string] == nil {
            numbers[string] = UInt32(truncatingIfNeeded: number)
            utf8Count += string.utf8.count
        }
    }

    /// Number of strings.
    public var count: Int { strings.count }

    /// A copy that can grow independently.
    public func copy() -> LeadStringTable {
        let copy = LeadStringTable()
        copy.strings = strings
        copy.numbers = numbers
        copy.utf8Count = utf8Count
        return copy
    }

    /// The string's number, adding it if it is new; `nil` when the table does not take it (too long, or full).
    func number(for string: String) -> Int? {
        if let number = numbers[string] { return Int(number) }
        let length = string.utf8.count
        guard length <= Self.maximumLength, strings.count < Self.maximumCount else { return nil }
        numbers[string] = UInt32(strings.count)
        strings.append(string)
        utf8Count += length
        return strings.count - 1
    }

    /// The string with this number, if there is one.
    func string(numbered number: UInt64) -> String? {
        number < UInt64(strings.count) ? strings[Int(number)] : nil
    }
}
