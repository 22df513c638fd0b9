// MARK: - DERElement

/// One DER tag-length-value element: where it starts, where its content starts and where it ends.
struct DERElement {
    var tag: UInt8
    var start: Int
    var contentStart: Int
    var end: Int

    static func parse(_ bytes: [UInt8], at start: Int) -> DERElement? {
        guard start + 2 <= bytes.count else { return nil }
        let tag = bytes[start]
        var index = start + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 4, index + count <= bytes.count else { return nil }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard index + length <= bytes.count else { return nil }
        return DERElement(tag: tag, start: start, contentStart: index, end: index + length)
    }

    /// The elements inside a constructed element.
    func children(in bytes: [UInt8]) -> [DERElement] {
        var result: [DERElement] = []
        var index = contentStart
        while index < end, let child = DERElement.parse(bytes, at: index) {
            result.append(child)
            index = child.end
        }
        return result
    }
}
