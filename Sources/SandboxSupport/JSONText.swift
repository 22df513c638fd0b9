public import Basics

// MARK: - JSONText

/// JSON text as both CRM sandboxes write it: compact, object members in the order given (responses read like the
/// vendors' examples), whole numbers without a fraction. Each sandbox keeps its own JSON value type (Marketo's
/// keeps integers apart from doubles, Salesforce's has one number type as its parser does) and writes it with
/// these functions.
public enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    @inlinable
    public static func writeString(_ text: String, into out: inout String) {
        JSONString.append(text, to: &out)
    }

    /// A number as the CRMs print it: whole numbers below 10^15 without a fraction (`42`, not `42.0`), other finite
    /// numbers in Swift's shortest form, and `null` for NaN and infinities (JSON has no text for them).
    @inlinable
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// `[e1,e2,...]`, each element written by `element`.
    @inlinable
    public static func writeArray<Element>(
        _ items: [Element],
        into out: inout String,
        element: (Element, inout String) -> Void
    ) {
        out += "["
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            element(item, &out)
        }
        out += "]"
    }

    /// `{"k1":v1,...}` in the members' order, each value written by `value`.
    @inlinable
    public static func writeObject<Value>(
        _ members: [(String, Value)],
        into out: inout String,
        value: (Value, inout String) -> Void
    ) {
        out += "{"
        for (index, member) in members.enumerated() {
            if index > 0 { out += "," }
            writeString(member.0, into: &out)
            out += ":"
            value(member.1, &out)
        }
        out += "}"
    }
}
