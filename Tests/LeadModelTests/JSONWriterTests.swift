import Testing

@testable import LeadModel

@Suite("JSON writer")
struct JSONWriterTests {
    static func written(_ value: Double) -> String {
        JSONWriter.withWriter { writer in
            writer.number(value)
            return String(decoding: writer.makeArray(), as: UTF8.self)
        }
    }

    @Test(
        "numbers are written as Swift's shortest round-trip description, whole ones included",
        arguments: [
            0.0, -0.0, 1.0, -1.0, 12.0, 45.0, 1_000_000.0, 999_999_999_999_999.0, 1e15, 1e16, -1e15, 0.5, 12.25,
            1.0 / 3.0, -7.125, 4_503_599_627_370_496.0, Double.ulpOfOne, 123_456_789.0, -123_456_789.0,
        ]
    )
    func numbersMatchDescription(value: Double) {
        #expect(Self.written(value) == value.description)
    }

    @Test("non-finite numbers are written as null")
    func nonFinite() {
        #expect(Self.written(.infinity) == "null")
        #expect(Self.written(-.infinity) == "null")
        #expect(Self.written(.nan) == "null")
    }

    @Test("a number after another value is separated by a comma")
    func separated() {
        let text = JSONWriter.withWriter { writer in
            writer.beginObject()
            writer.field("a", Int64(1))
            writer.key("b")
            writer.number(2.0)
            writer.key("c")
            writer.number(2.5)
            writer.endObject()
            return String(decoding: writer.makeArray(), as: UTF8.self)
        }
        #expect(text == #"{"a":1,"b":2.0,"c":2.5}"#)
    }
}
