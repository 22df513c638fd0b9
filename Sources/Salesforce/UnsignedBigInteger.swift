// MARK: - UnsignedBigInteger

/// A non-negative integer of any size (32-bit limbs, least significant first), with what RSA signing needs:
/// byte conversion, comparison, addition, subtraction, multiplication, reduction and Montgomery exponentiation.
struct UnsignedBigInteger: Sendable, Equatable {
    /// Limbs, least significant first, without high zero limbs.
    private(set) var limbs: [UInt32]

    init(limbs: [UInt32]) {
        var trimmed = limbs
        while let last = trimmed.last, last == 0 { trimmed.removeLast() }
        self.limbs = trimmed
    }

    /// From big-endian bytes (as DER integers and RSA messages are written).
    init(bigEndian bytes: some Collection<UInt8>) {
        var limbs: [UInt32] = []
        var current: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes.reversed() {
            current |= UInt32(byte) << shift
            shift += 8
            if shift == 32 {
                limbs.append(current)
                current = 0
                shift = 0
            }
        }
        if shift > 0 { limbs.append(current) }
        self.init(limbs: limbs)
    }

    /// Big-endian bytes, left-padded with zeros to `count` (the value must fit).
    func bigEndianBytes(count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        for (index, limb) in limbs.enumerated() {
            for byte in 0..<4 {
                let position = count - 1 - (index * 4 + byte)
                if position >= 0 { bytes[position] = UInt8(truncatingIfNeeded: limb >> UInt32(byte * 8)) }
            }
        }
        return bytes
    }

    var isZero: Bool { limbs.isEmpty }

    var bitWidth: Int {
        guard let last = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - last.leadingZeroBitCount)
    }

    func bit(_ index: Int) -> Bool {
        let limb = index / 32
        return limb < limbs.count && (limbs[limb] >> UInt32(index % 32)) & 1 == 1
    }

    static func compare(_ left: [UInt32], _ right: [UInt32]) -> Int {
        let count = max(left.count, right.count)
        for index in stride(from: count - 1, through: 0, by: -1) {
            let l = index < left.count ? left[index] : 0
            let r = index < right.count ? right[index] : 0
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }

    static func < (left: UnsignedBigInteger, right: UnsignedBigInteger) -> Bool {
        compare(left.limbs, right.limbs) < 0
    }

    static func + (left: UnsignedBigInteger, right: UnsignedBigInteger) -> UnsignedBigInteger {
        let count = max(left.limbs.count, right.limbs.count)
        var result = [UInt32](repeating: 0, count: count + 1)
        var carry: UInt64 = 0
        for index in 0..<count {
            let sum =
                UInt64(index < left.limbs.count ? left.limbs[index] : 0)
                + UInt64(index < right.limbs.count ? right.limbs[index] : 0) + carry
            result[index] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
        }
        result[count] = UInt32(carry)
        return UnsignedBigInteger(limbs: result)
    }

    /// `left - right`; `left` must not be smaller.
    static func - (left: UnsignedBigInteger, right: UnsignedBigInteger) -> UnsignedBigInteger {
        UnsignedBigInteger(limbs: subtract(left.limbs, right.limbs))
    }

    private static func subtract(_ left: [UInt32], _ right: [UInt32]) -> [UInt32] {
        var result = left
        var borrow: Int64 = 0
        for index in 0..<result.count {
            var difference = Int64(result[index]) - Int64(index < right.count ? right[index] : 0) - borrow
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            result[index] = UInt32(difference)
        }
        return result
    }

    static func * (left: UnsignedBigInteger, right: UnsignedBigInteger) -> UnsignedBigInteger {
        guard !left.isZero, !right.isZero else { return UnsignedBigInteger(limbs: []) }
        var result = [UInt32](repeating: 0, count: left.limbs.count + right.limbs.count)
        for (i, a) in left.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, b) in right.limbs.enumerated() {
                let product = UInt64(a) * UInt64(b) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            result[i + right.limbs.count] = UInt32(carry)
        }
        return UnsignedBigInteger(limbs: result)
    }

    /// `self mod modulus`, bit by bit (used once or twice per signature).
    func reduced(modulo modulus: UnsignedBigInteger) -> UnsignedBigInteger {
        var remainder = [UInt32](repeating: 0, count: modulus.limbs.count + 1)
        for index in stride(from: bitWidth - 1, through: 0, by: -1) {
            Self.shiftLeftOne(&remainder, carryIn: bit(index) ? 1 : 0)
            if Self.compare(remainder, modulus.limbs) >= 0 {
                remainder = Self.subtract(remainder, modulus.limbs)
            }
        }
        return UnsignedBigInteger(limbs: remainder)
    }

    private static func shiftLeftOne(_ limbs: inout [UInt32], carryIn: UInt32) {
        var carry = carryIn
        for index in 0..<limbs.count {
            let next = limbs[index] >> 31
            limbs[index] = limbs[index] << 1 | carry
            carry = next
        }
    }

    // MARK: - Montgomery exponentiation

    /// `self^exponent mod modulus` for an odd modulus.
    func power(_ exponent: UnsignedBigInteger, modulo modulus: UnsignedBigInteger) -> UnsignedBigInteger {
        let k = modulus.limbs.count
        let n = modulus.limbs
        // -n^-1 mod 2^32 by Newton iteration.
        var inverse: UInt32 = 1
        for _ in 0..<5 { inverse = inverse &* (2 &- n[0] &* inverse) }
        let factor = 0 &- inverse
        // R^2 mod n, R = 2^(32k).
        var r2 = [UInt32](repeating: 0, count: k + 1)
        r2[0] = 1
        for _ in 0..<(64 * k) {
            Self.shiftLeftOne(&r2, carryIn: 0)
            if Self.compare(r2, n) >= 0 { r2 = Self.subtract(r2, n) }
        }
        func padded(_ value: [UInt32]) -> [UInt32] {
            value + [UInt32](repeating: 0, count: max(0, k - value.count))
        }
        func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var t = [UInt32](repeating: 0, count: k + 2)
            for i in 0..<k {
                var carry: UInt64 = 0
                let bi = UInt64(b[i])
                for j in 0..<k {
                    let sum = UInt64(t[j]) + UInt64(a[j]) * bi + carry
                    t[j] = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
                var sum = UInt64(t[k]) + carry
                t[k] = UInt32(truncatingIfNeeded: sum)
                t[k + 1] = UInt32(sum >> 32)
                let m = UInt64(t[0] &* factor)
                sum = UInt64(t[0]) + m * UInt64(n[0])
                carry = sum >> 32
                for j in 1..<k {
                    sum = UInt64(t[j]) + m * UInt64(n[j]) + carry
                    t[j - 1] = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
                sum = UInt64(t[k]) + carry
                t[k - 1] = UInt32(truncatingIfNeeded: sum)
                t[k] = t[k + 1] &+ UInt32(sum >> 32)
                t[k + 1] = 0
            }
            var result = Array(t[0...k])
            if Self.compare(result, n) >= 0 { result = Self.subtract(result, n) }
            return Array(result[0..<k])
        }
        let r2Limbs = padded(Array(r2[0..<k]))
        let base = multiply(padded(reduced(modulo: modulus).limbs), r2Limbs)
        var accumulator = multiply(padded([1]), r2Limbs)
        for index in stride(from: exponent.bitWidth - 1, through: 0, by: -1) {
            accumulator = multiply(accumulator, accumulator)
            if exponent.bit(index) { accumulator = multiply(accumulator, base) }
        }
        return UnsignedBigInteger(limbs: multiply(accumulator, padded([1])))
    }
}
